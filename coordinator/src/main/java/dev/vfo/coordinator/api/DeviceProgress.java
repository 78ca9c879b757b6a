package dev.vfo.coordinator.api;

import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;

/** One pairing of a migration: the kernel states of both devices and the bytes moved so far. */
public record DeviceProgress(DevicePairing pairing, MigrationState sourceState, MigrationState destinationState,
        long bytes) {
    public DeviceProgress {
        Objects.requireNonNull(pairing, "pairing");
        Objects.requireNonNull(sourceState, "sourceState");
        Objects.requireNonNull(destinationState, "destinationState");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
        }
    }
}
