package dev.vfo.agent.loop;

import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.MigrationId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One device's device-state stream as this agent runs it. A stream is identified by its
 * {@link Identity} (migration, direction, peer), not by the command that opened it: the saga asks
 * for the same stream again under a new command id after a deadline or a coordinator takeover,
 * while the first stream still flows, and a session's data can be streamed only once. So a request
 * for the stream a device already runs (or ran to completion) is adopted: the stream goes on and
 * its events answer the newest command. Loop thread only.
 */
final class Stream {

    /** What the coordinator means by "this stream", whatever command id it uses to ask. */
    record Identity(MigrationId migration, Direction direction, String peer) {
        Identity {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(peer, "peer");
        }

        /** The stream a StartDataTransfer or AcceptDataTransfer asks for. */
        static Identity of(AgentCommand.StartDataTransfer c) {
            return new Identity(c.migration(), Direction.SEND, "to " + c.destinationDevice() + " on "
                    + c.destinationHost() + " at " + c.destinationEndpoint());
        }

        static Identity of(AgentCommand.AcceptDataTransfer c) {
            return new Identity(c.migration(), Direction.RECEIVE, "from " + c.sourceDevice() + " on " + c.sourceHost());
        }

        @Override
        public String toString() {
            return direction + " of migration " + migration + " " + peer;
        }
    }

    /** What to do with a request for a stream on a device that has {@code this} stream. */
    enum Claim {
        /** Nothing to adopt: open a new stream (the transfer component judges the session). */
        START,
        /** The same stream: it goes on (or its completion is reported again) for the new command. */
        ADOPT,
        /** Another stream holds the device's session: refused, the running stream is untouched. */
        CONFLICT
    }

    private final Identity identity;
    private final AgentCommand.DeviceCommand opened;
    private final Optional<SavingSession> saving;
    private final List<CommandId> answered = new ArrayList<>();
    private Transfer transfer;
    /** The final event, once the stream ended. */
    private AgentEvent ended;

    Stream(Identity identity, AgentCommand.DeviceCommand opened, Optional<SavingSession> saving) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.opened = Objects.requireNonNull(opened, "opened");
        this.saving = Objects.requireNonNull(saving, "saving");
        answered.add(opened.id());
    }

    /**
     * Which requests a stream adopts. A failed stream is gone (the saga already saw the failure), and
     * a completed stream of another migration is history: both leave the device free. A running
     * stream of another migration, or any stream of this migration with another direction or peer,
     * holds the session the request would need. Epochs need no rule here: a command of an older
     * epoch than one already seen for the VM never gets this far (Commands refuses it first).
     */
    static Claim claim(Optional<Stream> current, Identity asked) {
        if (current.isEmpty() || current.get().failed()) {
            return Claim.START;
        }
        Stream x = current.get();
        if (x.completed() && !x.identity.migration().equals(asked.migration())) {
            return Claim.START;
        }
        return x.identity.equals(asked) ? Claim.ADOPT : Claim.CONFLICT;
    }

    /** Why {@code asked} cannot have this stream's device (for a {@link Claim#CONFLICT}). */
    String conflict(Identity asked, CommandId command) {
        return "the device " + (ended == null ? "still runs" : "already ran") + " the " + identity
                + " (command " + answering() + "); command " + command + " asks for the " + asked
                + ": only the same migration, direction and peer is adopted";
    }

    void attach(Transfer t) {
        this.transfer = Objects.requireNonNull(t, "transfer");
    }

    Transfer transfer() {
        return transfer;
    }

    Identity identity() {
        return identity;
    }

    /** The command that opened the stream. */
    AgentCommand.DeviceCommand opened() {
        return opened;
    }

    Optional<SavingSession> saving() {
        return saving;
    }

    /** From now on the stream's events answer {@code command}. */
    void adopt(CommandId command) {
        answered.add(command);
    }

    /** The command the stream's next event answers: the newest that asked for it. */
    CommandId answering() {
        return answered.get(answered.size() - 1);
    }

    /** Every command that asked for this stream, oldest first. */
    List<CommandId> answered() {
        return List.copyOf(answered);
    }

    void end(AgentEvent last) {
        this.ended = Objects.requireNonNull(last, "last");
    }

    boolean running() {
        return ended == null;
    }

    boolean completed() {
        return ended != null && ended.kind() == AgentEvent.Kind.DATA_TRANSFER_COMPLETED;
    }

    boolean failed() {
        return ended != null && ended.kind() == AgentEvent.Kind.DATA_TRANSFER_FAILED;
    }

    /** The completion, when the stream completed. */
    Optional<AgentEvent.DataTransferCompleted> completion() {
        return completed() ? Optional.of((AgentEvent.DataTransferCompleted) ended) : Optional.empty();
    }
}
