package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import java.util.Objects;

/** A source device of the VM and the destination device that takes over its state. */
public record DevicePair(DeviceId source, DeviceId destination) {
    public DevicePair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }
}
