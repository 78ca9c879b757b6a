package dev.vfo.cli;

import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.sim.SeedSweep;
import dev.vfo.core.sim.SimResult;
import dev.vfo.core.sim.Simulation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vfo sim}: runs the deterministic migration simulator over a range of seeds and prints
 * one summary line. Any invariant violation makes the run fail (exit 1), and every failing seed
 * is printed with the one command that reproduces it.
 */
@Command(
        name = "sim",
        description = {
            "Run the deterministic simulator of the migration saga: VMs of 1 to 8 devices over 2 to 4 hosts, with"
                    + " message loss, duplication, reordering and delay, agent and coordinator crashes, failing and slow"
                    + " device transitions and operator cancels, checking the P2P-order invariants after every step,"
                    + " termination, and that replaying the coordinator's log rebuilds its state.",
            "Prints 'seeds=N violations=V ...'; exits 1 if any seed violates an invariant."
        })
final class SimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Supplier<? extends MigrationSaga> saga;

    SimCommand() {
        this(MigrationSaga::new);
    }

    /** For tests: the same command over another saga (e.g. one with the quiesce barrier removed). */
    SimCommand(Supplier<? extends MigrationSaga> saga) {
        this.saga = saga;
    }

    @Option(names = "--seeds", required = true, paramLabel = "N", description = "How many seeds to run.")
    long seeds;

    @Option(names = "--seed-start", paramLabel = "S", defaultValue = "0",
            description = "The first seed (default ${DEFAULT-VALUE}); seeds S to S+N-1 run.")
    long seedStart;

    @Option(names = "--trace",
            description = "Before the summary, print every seed's scenario, the coordinator's log record by record"
                    + " and its violations (for reproducing one seed; use with a small --seeds).")
    boolean trace;

    @Override
    public Integer call() {
        if (seeds < 1) {
            throw new InvalidRequest("--seeds must be at least 1, not " + seeds);
        }
        if (trace) {
            PrintWriter out = spec.commandLine().getOut();
            for (long seed = seedStart; seed < seedStart + seeds; seed++) {
                out.println("# seed " + seed);
                Simulation.trace(seed, saga.get()).forEach(out::println);
            }
        }
        long started = System.nanoTime();
        SeedSweep.Summary summary = SeedSweep.run(seedStart, seeds, saga);
        long millis = (System.nanoTime() - started) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary.line() + " wall=" + millis + "ms");
        for (SimResult r : summary.failing()) {
            out.println("seed " + r.seed() + " (" + r.outcome() + "): " + r.violations().get(0)
                    + (r.violations().size() > 1 ? " (+" + (r.violations().size() - 1) + " more)" : ""));
            out.println("  reproduce: " + r.reproduce());
        }
        if (summary.violations() > summary.failing().stream().mapToLong(r -> r.violations().size()).sum()) {
            out.println("(only the first " + summary.failing().size() + " failing seeds are listed)");
        }
        out.flush();
        return summary.violations() == 0 ? 0 : Vfo.FAILED;
    }
}
