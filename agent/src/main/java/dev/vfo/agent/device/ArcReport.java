package dev.vfo.agent.device;

import dev.vfo.core.vfio.Arc;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One arc a device completed, as the agent reports it (a DeviceStateChanged event).
 *
 * @param bytes what the data session moved while the device was in {@code arc.from()} (since the
 *     previous arc), so the bytes of all arcs of a session add up to the whole stream
 * @param sha256 the SHA-256 of the whole stream, present on the arc that ended a session
 * @param opened the kind of session this arc opened, if it opened one
 */
public record ArcReport(Arc arc, Instant startedAt, Instant finishedAt, long bytes, Optional<String> sha256,
        Optional<DataSession.Kind> opened) {
    public ArcReport {
        Objects.requireNonNull(arc, "arc");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(opened, "opened");
    }

    public Duration took() {
        return Duration.between(startedAt, finishedAt);
    }
}
