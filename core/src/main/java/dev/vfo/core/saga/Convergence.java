package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.vfio.MigrationFlag;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The pre-copy convergence policy: switch over once every pre-copying device has sent its
 * initial bytes, no device's dirty bytes are rising, and the estimated stop-copy time (dirty
 * bytes plus the stop-copy size estimates of all devices, over the bandwidth) fits in the
 * downtime budget. After {@code maxPreCopy} the policy's timeout action applies.
 */
public final class Convergence {

    private Convergence() {}

    public enum Kind {
        CONTINUE,
        SWITCH_OVER,
        ABORT
    }

    /** What the policy says, and the numbers it judged. */
    public record Verdict(Kind kind, String reason) {
        public Verdict {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(reason);
        }
    }

    public static Verdict judge(MigrationPlan plan, Map<DeviceId, PreCopyStats> stats,
            Map<DeviceId, KnownDevice> inventory, Instant phaseStart, Instant now) {
        MigrationPolicy policy = plan.policy();
        boolean initialSent = true;
        boolean rising = false;
        long pending = 0;
        for (DevicePlan p : plan.devices()) {
            boolean preCopies = p.sourceCapability().has(MigrationFlag.PRE_COPY);
            PreCopyStats s = stats.getOrDefault(p.source(), PreCopyStats.NONE);
            if (preCopies) {
                initialSent &= s.initialSent();
                rising |= s.dirtyRising();
                pending += s.reports() > 0 ? s.dirtyBytes() + s.stopCopySizeEstimate() : Long.MAX_VALUE / 64;
            } else {
                KnownDevice k = inventory.get(p.source());
                pending += k == null ? 0 : k.stopCopySizeEstimate();
            }
        }
        long downtimeMillis = pending / Math.max(1, policy.bandwidthBytesPerSecond() / 1000);
        String numbers = "pending " + pending + " bytes at " + policy.bandwidthBytesPerSecond() + " B/s = "
                + downtimeMillis + " ms against a budget of " + policy.downtimeBudget().toMillis() + " ms; initial bytes "
                + (initialSent ? "sent" : "not yet sent") + "; dirty bytes " + (rising ? "rising" : "not rising");
        if (initialSent && !rising && downtimeMillis <= policy.downtimeBudget().toMillis()) {
            return new Verdict(Kind.SWITCH_OVER, "converged: " + numbers);
        }
        if (Duration.between(phaseStart, now).compareTo(policy.maxPreCopy()) >= 0) {
            return switch (policy.onPreCopyTimeout()) {
                case ABORT -> new Verdict(Kind.ABORT,
                        "pre-copy did not converge within " + policy.maxPreCopy() + ": " + numbers);
                case SWITCH_OVER -> new Verdict(Kind.SWITCH_OVER,
                        "pre-copy ran " + policy.maxPreCopy() + " without converging, switching over: " + numbers);
            };
        }
        return new Verdict(Kind.CONTINUE, numbers);
    }
}
