package dev.vfo.core.sim;

import dev.vfo.core.invariant.Violation;
import java.util.List;

/**
 * How one seed ended: the outcome (COMPLETED, ROLLED_BACK, FAILED, REJECTED, UNFINISHED), the
 * violations found, and the size of the run (loop steps, simulated milliseconds, log entries,
 * faults injected).
 */
public record SimResult(long seed, String outcome, List<Violation> violations, long steps, long simulatedMillis,
        int logSize, int faults) {

    public SimResult {
        violations = List.copyOf(violations);
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    /** The one command that reproduces this seed. */
    public String reproduce() {
        return "vfo sim --seeds 1 --seed-start " + seed;
    }
}
