package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.DeviceId;
import java.util.Objects;

/** One device of the VM: where its state comes from and which device receives it. */
public record DevicePairing(DeviceId source, DeviceId destination) {
    public DevicePairing {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.equals(destination)) {
            throw new IllegalArgumentException("device " + source + " cannot be its own destination");
        }
    }
}
