package dev.vfo.core.saga;

import dev.vfo.core.protocol.CommandId;
import java.time.Instant;
import java.util.Optional;

/**
 * The device-state stream of one device pair: the live send/accept commands, and what each side
 * reported at the end of the stream (its SHA-256; both must agree).
 */
public record Transfer(Optional<CommandId> send, Optional<CommandId> accept, int attempts, Optional<Instant> deadline,
        boolean reissue, Optional<String> sentSha, Optional<String> receivedSha) {

    static final Transfer NONE = new Transfer(Optional.empty(), Optional.empty(), 0, Optional.empty(), false,
            Optional.empty(), Optional.empty());

    boolean open() {
        return send.isPresent() || sentSha.isPresent();
    }

    boolean complete() {
        return sentSha.isPresent() && receivedSha.isPresent();
    }

    Transfer withSend(CommandId id, int newAttempts, Optional<Instant> newDeadline) {
        return new Transfer(Optional.of(id), accept, newAttempts, newDeadline, false, sentSha, receivedSha);
    }

    Transfer withAccept(CommandId id) {
        return new Transfer(send, Optional.of(id), attempts, deadline, false, sentSha, receivedSha);
    }

    Transfer withDeadline(Optional<Instant> newDeadline) {
        return new Transfer(send, accept, attempts, newDeadline, reissue, sentSha, receivedSha);
    }

    Transfer sent(String sha) {
        return new Transfer(send, accept, attempts, deadline, reissue, Optional.of(sha), receivedSha);
    }

    Transfer received(String sha) {
        return new Transfer(send, accept, attempts, deadline, reissue, sentSha, Optional.of(sha));
    }

    Transfer forReissue() {
        return new Transfer(send, accept, attempts, deadline, send.isPresent() && !complete(), sentSha, receivedSha);
    }
}
