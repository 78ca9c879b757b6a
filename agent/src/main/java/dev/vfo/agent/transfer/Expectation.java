package dev.vfo.agent.transfer;

import dev.vfo.agent.device.ResumingSession;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a destination agent waits for: the stream of {@code sourceDevice} on {@code sourceHost}, in
 * {@code migration} under coordinator {@code epoch}, into the resuming session of
 * {@code destinationDevice} (already in RESUMING, session unwritten), complete by {@code deadline}.
 */
public record Expectation(CommandId command, MigrationId migration, long epoch, HostId sourceHost,
        DeviceId sourceDevice, HostId destinationHost, DeviceId destinationDevice, Instant deadline,
        ResumingSession session, TransferListener listener) {
    public Expectation {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(sourceDevice, "sourceDevice");
        Objects.requireNonNull(destinationHost, "destinationHost");
        Objects.requireNonNull(destinationDevice, "destinationDevice");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(listener, "listener");
    }

    /** The expectation an AcceptDataTransfer registers, into the device's resuming session. */
    public static Expectation of(AgentCommand.AcceptDataTransfer c, ResumingSession session,
            TransferListener listener) {
        return new Expectation(c.id(), c.migration(), c.coordinatorEpoch(), c.sourceHost(), c.sourceDevice(), c.host(),
                c.device(), c.deadline(), session, listener);
    }

    TransferKey key() {
        return new TransferKey(migration, sourceDevice, destinationDevice);
    }
}
