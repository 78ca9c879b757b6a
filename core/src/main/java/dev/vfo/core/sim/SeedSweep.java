package dev.vfo.core.sim;

import dev.vfo.core.saga.MigrationSaga;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Runs a range of seeds and sums them up; keeps the failing seeds (at most {@value #KEPT}) for reproduction. */
public final class SeedSweep {

    static final int KEPT = 100;

    private SeedSweep() {}

    /** The totals of a sweep. */
    public record Summary(long seeds, long violations, Map<String, Long> outcomes, long steps, long simulatedMillis,
            int maxFaults, List<SimResult> failing) {

        /** The one summary line, e.g. {@code seeds=10000 violations=0 completed=... }. */
        public String line() {
            StringBuilder b = new StringBuilder("seeds=" + seeds + " violations=" + violations);
            outcomes.forEach((k, v) -> b.append(' ').append(k.toLowerCase(java.util.Locale.ROOT)).append('=').append(v));
            b.append(" steps=").append(steps).append(" simulated=").append(simulatedMillis / 1000).append('s');
            return b.toString();
        }
    }

    public static Summary run(long seedStart, long seeds) {
        return run(seedStart, seeds, MigrationSaga::new);
    }

    public static Summary run(long seedStart, long seeds, Supplier<? extends MigrationSaga> saga) {
        long violations = 0;
        long steps = 0;
        long simulated = 0;
        int maxFaults = 0;
        Map<String, Long> outcomes = new TreeMap<>();
        List<SimResult> failing = new ArrayList<>();
        for (long seed = seedStart; seed < seedStart + seeds; seed++) {
            SimResult r = Simulation.run(seed, saga.get());
            violations += r.violations().size();
            steps += r.steps();
            simulated += r.simulatedMillis();
            maxFaults = Math.max(maxFaults, r.faults());
            outcomes.merge(r.outcome(), 1L, Long::sum);
            if (!r.ok() && failing.size() < KEPT) {
                failing.add(r);
            }
        }
        return new Summary(seeds, violations, outcomes, steps, simulated, maxFaults, failing);
    }
}
