package dev.vfo.coordinator.api;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The operator's limits for one migration. {@code bandwidthBytesPerSec} is empty for no cap.
 * The constructor rejects values no contract-valid request can carry, so a policy built in code
 * (the loop's replay, a test) is as well formed as one built from a request.
 */
public record MigrationPolicy(long downtimeBudgetMs, long maxPreCopyMs, OnPreCopyLimit onPreCopyLimit,
        long stepTimeoutMs, OptionalLong bandwidthBytesPerSec) {
    public MigrationPolicy {
        if (downtimeBudgetMs <= 0) {
            throw new IllegalArgumentException("downtimeBudgetMs must be positive, was " + downtimeBudgetMs);
        }
        if (maxPreCopyMs < 0) {
            throw new IllegalArgumentException("maxPreCopyMs must not be negative, was " + maxPreCopyMs);
        }
        Objects.requireNonNull(onPreCopyLimit, "onPreCopyLimit");
        if (stepTimeoutMs <= 0) {
            throw new IllegalArgumentException("stepTimeoutMs must be positive, was " + stepTimeoutMs);
        }
        Objects.requireNonNull(bandwidthBytesPerSec, "bandwidthBytesPerSec");
        if (bandwidthBytesPerSec.isPresent() && bandwidthBytesPerSec.getAsLong() <= 0) {
            throw new IllegalArgumentException("bandwidthBytesPerSec must be positive when set");
        }
    }
}
