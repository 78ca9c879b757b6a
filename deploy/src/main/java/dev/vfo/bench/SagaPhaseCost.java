package dev.vfo.bench;

import dev.vfo.core.saga.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Section 3, the part that runs without the coordinator loop: the coordinator's in-process work
 * for a whole 8-device migration with zero-latency devices, per phase, in microseconds per
 * migration. Twice: the decider alone (decide + fold), and with the codec work around it (decode
 * each event, hash-chain every decided event, encode every command). The end-to-end row (over
 * Kafka) stays "not run" until the loop exists; these rows are its lower bound.
 */
public final class SagaPhaseCost implements Scenario {

    static final int DEVICES = 8;

    @Override
    public String section() {
        return "3";
    }

    @Override
    public String title() {
        return EndToEnd.Part.ORCHESTRATION.title();
    }

    @Override
    public boolean needsKafka() {
        return false;
    }

    @Override
    public List<Row> run(BenchContext context) {
        int migrations = context.budget().fleetVms();
        context.say("saga work per phase: " + migrations + " warm-up + " + migrations + " timed migrations of "
                + DEVICES + " devices, twice");
        for (int i = 0; i < migrations; i++) {
            new InstantAgents("vm-warm-" + i, DEVICES, e -> { }, Optional.of(new CoordinatorWork(true))).migrate();
        }
        List<Row> rows = new ArrayList<>();
        for (boolean wire : new boolean[] {false, true}) {
            CoordinatorWork work = new CoordinatorWork(wire);
            for (int i = 0; i < migrations; i++) {
                new InstantAgents("vm-phase-" + i, DEVICES, e -> { }, Optional.of(work)).migrate();
            }
            Map<String, Double> v = new LinkedHashMap<>();
            List<Optional<Phase>> slots = new ArrayList<>();
            slots.add(Optional.empty());
            for (Phase p : Phase.values()) {
                slots.add(Optional.of(p));
            }
            long inputs = 0;
            for (Optional<Phase> p : slots) {
                if (work.inputs(p) > 0) {
                    String name = p.map(x -> x.name().toLowerCase()).orElse("setup");
                    v.put(name + "_us", work.cpuNanos(p) / 1e3 / migrations);
                    inputs += work.inputs(p);
                }
            }
            v.put("total_us", work.totalCpuNanos() / 1e3 / migrations);
            v.put("total_wall_us", work.totalNanos() / 1e3 / migrations);
            v.put("inputs_per_migration", (double) inputs / migrations);
            rows.add(Row.measured(section(), (wire ? "decide + fold + codec + hash chain" : "decide + fold")
                    + " per phase, no Kafka, " + DEVICES + " devices", v, "microseconds of the coordinator thread's CPU time per migration (total_wall_us: wall time, which"
                    + " includes waiting for a core on a loaded machine),"
                    + " one thread, mean of " + migrations + " migrations after as many warm-up; setup = registering "
                    + 2 * DEVICES + " devices, the takeover and the request (phase = the VM's phase when the input"
                    + " arrived)"));
        }
        return rows;
    }
}
