package dev.vfo.core.saga;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A request that passed validation: every device paired, flags defined and compatible. */
public record MigrationPlan(MigrationId migration, VmId vm, HostId sourceHost, HostId destinationHost,
        List<DevicePlan> devices, MigrationPolicy policy, Instant acceptedAt) {
    public MigrationPlan {
        Objects.requireNonNull(migration);
        Objects.requireNonNull(vm);
        Objects.requireNonNull(sourceHost);
        Objects.requireNonNull(destinationHost);
        devices = List.copyOf(devices);
        Objects.requireNonNull(policy);
        Objects.requireNonNull(acceptedAt);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one device");
        }
    }
}
