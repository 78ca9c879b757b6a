package dev.vfo.coordinator.security;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller on starting migrations (OWASP API4/API6): {@code burst} starts at
 * once, refilled at {@code perMinute}. The clock is injected (nanoseconds, like
 * {@link System#nanoTime()}) so tests decide time instead of sleeping.
 *
 * <p>Buckets are kept per caller name; callers are the configured tokens, a small fixed set, so
 * the map cannot grow without bound.
 */
public final class CreationRateLimit {
    private static final double NANOS_PER_MINUTE = 60e9;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    public CreationRateLimit(double perMinute, int burst, LongSupplier nanoClock) {
        if (!(perMinute > 0)) {
            throw new IllegalArgumentException("the creation rate must be positive, was " + perMinute);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the creation burst must be at least 1, was " + burst);
        }
        this.perNano = perMinute / NANOS_PER_MINUTE;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one start for {@code caller}. Answers 0 when allowed, otherwise the whole seconds to
     * wait before one is available again (for {@code Retry-After}; at least 1).
     */
    public synchronized long take(String caller) {
        long now = nanoClock.getAsLong();
        Bucket b = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
        b.tokens = Math.min(burst, b.tokens + (now - b.refilledAt) * perNano);
        b.refilledAt = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        double nanosToNext = (1 - b.tokens) / perNano;
        return Math.max(1, (long) Math.ceil(nanosToNext / 1e9));
    }
}
