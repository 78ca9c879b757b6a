package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.MigrationId;
import java.util.Objects;

/** Which device's state, in which migration, goes into which device. */
public record TransferKey(MigrationId migration, DeviceId sourceDevice, DeviceId destinationDevice) {
    public TransferKey {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(sourceDevice, "sourceDevice");
        Objects.requireNonNull(destinationDevice, "destinationDevice");
    }

    @Override
    public String toString() {
        return migration + ":" + sourceDevice + ">" + destinationDevice;
    }
}
