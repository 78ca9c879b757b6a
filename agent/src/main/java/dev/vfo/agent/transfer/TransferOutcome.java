package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.AgentEvent.Direction;
import java.util.Objects;

/**
 * How one side's part of a transfer ended, as plain values the agent's loop turns into
 * DataTransferCompleted or DataTransferFailed. {@code bytes} is what this side moved through its
 * device's data session.
 *
 * <p>A destination's {@link Completed} means: every byte was written into the resuming session and
 * the source's trailer declared exactly that length and SHA-256. It is never given for a stream
 * that was cut, timed out, aborted or did not match; nothing here commits (RESUMING&gt;STOP is the
 * agent loop's decision after the coordinator saw both sides complete).
 */
public sealed interface TransferOutcome permits TransferOutcome.Completed, TransferOutcome.Failed {

    enum Kind {
        COMPLETED,
        FAILED
    }

    Kind kind();

    Direction direction();

    long bytes();

    /** The whole stream moved: {@code bytes} of it with this SHA-256 (lower-case hex), as both sides saw it. */
    record Completed(Direction direction, long bytes, String sha256) implements TransferOutcome {
        public Completed {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(sha256, "sha256");
        }

        @Override
        public Kind kind() {
            return Kind.COMPLETED;
        }
    }

    /** The transfer did not complete; {@code reason} says what happened and where. */
    record Failed(Direction direction, long bytes, String reason) implements TransferOutcome {
        public Failed {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }
    }
}
