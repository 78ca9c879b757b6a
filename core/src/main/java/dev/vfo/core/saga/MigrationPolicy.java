package dev.vfo.core.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of one migration.
 *
 * @param stepDeadline how long one device command (one kernel arc, a reset) may take before the
 *     saga stops waiting for it (the agent refuses it afterwards) and re-issues it
 * @param transferDeadline how long a device-state stream may take once its session is open
 * @param maxAttempts how many times one step is issued before it counts as failed
 * @param preCopy whether devices with PRE_COPY pre-copy at all
 * @param maxPreCopy the longest pre-copy phase; then {@code onPreCopyTimeout} applies
 * @param onPreCopyTimeout abort (roll back) or switch over when pre-copy does not converge in time
 * @param bandwidthBytesPerSecond the expected device-state bandwidth during stop-copy
 * @param downtimeBudget switch over once the estimated stop-copy time fits in this budget
 * @param silenceLimit a device not heard of (registration, report, heartbeat) for longer is refused
 */
public record MigrationPolicy(Duration stepDeadline, Duration transferDeadline, int maxAttempts, boolean preCopy,
        Duration maxPreCopy, PreCopyTimeoutAction onPreCopyTimeout, long bandwidthBytesPerSecond,
        Duration downtimeBudget, Duration silenceLimit) {

    public MigrationPolicy {
        Objects.requireNonNull(stepDeadline, "stepDeadline");
        Objects.requireNonNull(transferDeadline, "transferDeadline");
        Objects.requireNonNull(maxPreCopy, "maxPreCopy");
        Objects.requireNonNull(onPreCopyTimeout, "onPreCopyTimeout");
        Objects.requireNonNull(downtimeBudget, "downtimeBudget");
        Objects.requireNonNull(silenceLimit, "silenceLimit");
        if (stepDeadline.isNegative() || stepDeadline.isZero()) {
            throw new IllegalArgumentException("stepDeadline must be positive");
        }
        if (transferDeadline.isNegative() || transferDeadline.isZero()) {
            throw new IllegalArgumentException("transferDeadline must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (bandwidthBytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidthBytesPerSecond must be positive");
        }
    }

    /** QEMU-like defaults: 300 ms downtime, 128 MiB/s, 5 s per arc, 3 attempts, 60 s pre-copy then abort. */
    public static MigrationPolicy defaults() {
        return new MigrationPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60), 3, true, Duration.ofSeconds(60),
                PreCopyTimeoutAction.ABORT, 128L << 20, Duration.ofMillis(300), Duration.ofSeconds(30));
    }
}
