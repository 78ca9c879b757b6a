package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Objects;

/**
 * A device of the VM as the coordinator's log knows it: registered by {@code agent} on
 * {@code host}, last reported in {@code state} with event number {@code lastSequence}.
 */
public record KnownDevice(DeviceId device, HostId host, AgentId agent, String model, long migrationFlags,
        long stopCopySizeEstimate, String transferEndpoint, MigrationState state, long lastSequence,
        Instant lastSeen) {
    public KnownDevice {
        Objects.requireNonNull(device);
        Objects.requireNonNull(host);
        Objects.requireNonNull(agent);
        Objects.requireNonNull(model);
        Objects.requireNonNull(transferEndpoint);
        Objects.requireNonNull(state);
        Objects.requireNonNull(lastSeen);
    }

    KnownDevice observed(MigrationState newState, long sequence, Instant at) {
        return new KnownDevice(device, host, agent, model, migrationFlags, stopCopySizeEstimate, transferEndpoint,
                newState, Math.max(sequence, lastSequence), at);
    }

    KnownDevice seen(Instant at) {
        return new KnownDevice(device, host, agent, model, migrationFlags, stopCopySizeEstimate, transferEndpoint,
                state, lastSequence, at);
    }
}
