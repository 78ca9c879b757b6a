package dev.vfo.agent.device.sim;

import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long a simulated device takes: a fixed time per arc (with overrides for named arcs, e.g.
 * {@code STOP>STOP_COPY} that takes long on real devices) and a stream throughput for data reads
 * and writes (0 = unlimited).
 */
public record LatencyModel(Duration perArc, Map<String, Duration> arcs, long streamBytesPerSecond) {

    public static final LatencyModel NONE = new LatencyModel(Duration.ZERO, Map.of(), 0);

    public LatencyModel {
        Objects.requireNonNull(perArc, "perArc");
        arcs = Map.copyOf(arcs);
        if (perArc.isNegative() || arcs.values().stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("latencies must not be negative");
        }
        if (streamBytesPerSecond < 0) {
            throw new IllegalArgumentException("throughput must not be negative");
        }
    }

    /** The time the arc {@code from>to} takes. */
    public Duration arc(MigrationState from, MigrationState to) {
        return arcs.getOrDefault(from + ">" + to, perArc);
    }

    /** The time moving {@code bytes} of stream takes. */
    public Duration stream(long bytes) {
        if (streamBytesPerSecond == 0 || bytes <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (bytes * 1e9 / streamBytesPerSecond));
    }
}
