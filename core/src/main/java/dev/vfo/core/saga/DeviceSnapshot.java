package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;

/** The last state the coordinator knows for a device, as reported by its agent. */
public record DeviceSnapshot(HostId host, DeviceId device, MigrationState state) {
    public DeviceSnapshot {
        Objects.requireNonNull(host);
        Objects.requireNonNull(device);
        Objects.requireNonNull(state);
    }
}
