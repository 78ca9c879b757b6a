package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One device of the inventory, as its agent last registered it and as its heartbeats keep it:
 * {@code alive} is false once heartbeats stopped for longer than the loop tolerates.
 */
public record DeviceView(DeviceId id, HostId host, Optional<VmId> vm, MigrationState state, String model,
        String pciAddress, String driver, long migrationFlags, Instant lastSeenAt, boolean alive) {
    public DeviceView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pciAddress, "pciAddress");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
