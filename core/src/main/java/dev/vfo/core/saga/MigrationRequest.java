package dev.vfo.core.saga;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import java.util.List;
import java.util.Objects;

/** A control-plane request to move {@code vm} from {@code sourceHost} to {@code destinationHost}. */
public record MigrationRequest(MigrationId migration, VmId vm, HostId sourceHost, HostId destinationHost,
        List<DevicePair> devices, MigrationPolicy policy) {
    public MigrationRequest {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(destinationHost, "destinationHost");
        devices = List.copyOf(devices);
        Objects.requireNonNull(policy, "policy");
    }
}
