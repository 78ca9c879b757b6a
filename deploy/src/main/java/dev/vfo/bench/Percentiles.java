package dev.vfo.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency percentiles from a bounded sample of nanosecond durations, by sorting (nearest-rank).
 * The sample counts are small enough (at most tens of thousands) that a histogram library buys
 * nothing; nearest-rank on the raw sample is exact for what was measured.
 */
public final class Percentiles {

    private final long[] sorted;

    public Percentiles(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    /** The smallest sample with at least {@code q} of the samples at or below it. */
    public long nanosAt(double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public int count() {
        return sorted.length;
    }

    /** p50, p99, p99.9, max and mean in milliseconds, plus the sample count. */
    public Map<String, Double> millis() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50_ms", ms(nanosAt(0.50)));
        m.put("p99_ms", ms(nanosAt(0.99)));
        m.put("p999_ms", ms(nanosAt(0.999)));
        m.put("max_ms", ms(sorted[sorted.length - 1]));
        m.put("mean_ms", ms((long) Arrays.stream(sorted).average().orElse(0)));
        m.put("samples", (double) sorted.length);
        return m;
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
