package dev.vfo.agent.transfer;

import dev.vfo.agent.device.SavingSession;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a source agent sends: the saving session of {@code sourceDevice} (opened by the arc into
 * PRE_COPY or STOP_COPY and not read by anyone else), to {@code destinationDevice} behind
 * {@code destinationEndpoint} ("host:port"), by {@code deadline}.
 */
public record Shipment(CommandId command, MigrationId migration, long epoch, HostId sourceHost, DeviceId sourceDevice,
        HostId destinationHost, DeviceId destinationDevice, String destinationEndpoint, Instant deadline,
        SavingSession session, TransferListener listener) {
    public Shipment {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(sourceDevice, "sourceDevice");
        Objects.requireNonNull(destinationHost, "destinationHost");
        Objects.requireNonNull(destinationDevice, "destinationDevice");
        Objects.requireNonNull(destinationEndpoint, "destinationEndpoint");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(listener, "listener");
    }

    /** The shipment a StartDataTransfer asks for, from the device's saving session. */
    public static Shipment of(AgentCommand.StartDataTransfer c, SavingSession session, TransferListener listener) {
        return new Shipment(c.id(), c.migration(), c.coordinatorEpoch(), c.host(), c.device(), c.destinationHost(),
                c.destinationDevice(), c.destinationEndpoint(), c.deadline(), session, listener);
    }

    TransferKey key() {
        return new TransferKey(migration, sourceDevice, destinationDevice);
    }

    Hello hello() {
        return new Hello(migration, command, epoch, sourceHost, sourceDevice, destinationHost, destinationDevice);
    }
}
