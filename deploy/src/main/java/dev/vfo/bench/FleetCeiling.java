package dev.vfo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Section 4, the part that runs without the coordinator loop: the ceiling of one coordinator
 * core. N VMs of 8 devices migrate at once, interleaved one agent answer at a time, and the
 * coordinator's work per consumed device event (decode, decide + fold, hash chain, command
 * encoding; no Kafka I/O) is timed. If this ceiling is below the target, no loop can reach it.
 */
public final class FleetCeiling implements Scenario {

    static final int DEVICES = 8;

    @Override
    public String section() {
        return "4";
    }

    @Override
    public String title() {
        return EndToEnd.Part.FLEET.title();
    }

    @Override
    public boolean needsKafka() {
        return false;
    }

    @Override
    public List<Row> run(BenchContext context) {
        int vms = context.budget().fleetVms();
        context.say("fleet ceiling: " + vms + " VMs x " + DEVICES + " devices interleaved in one thread");
        drive(vms, "warm");
        long start = System.nanoTime();
        CoordinatorWork work = drive(vms, "fleet");
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("events_per_s", work.deviceEvents() / (work.totalCpuNanos() / 1e9));
        v.put("events_per_wall_s", work.deviceEvents() / (work.totalNanos() / 1e9));
        v.put("device_events", (double) work.deviceEvents());
        v.put("coordinator_cpu_s", work.totalCpuNanos() / 1e9);
        v.put("wall_s_with_simulated_agents", wall);
        return List.of(Row.measured(section(), "ceiling, no Kafka: " + vms + " VMs x " + DEVICES
                + " devices, 1 thread", v, "device events (registrations + reports) per second of the coordinator thread's CPU time"
                        + " (events_per_wall_s: per second of wall time, lower on a loaded machine):"
                        + " decode, decide + fold, hash-chain append of every decided event, command encoding; one"
                        + " core, after a warm-up fleet of the same size")
                .against(Row.Target.atLeast("events_per_s", 50_000,
                        "(ceiling, 1 core) >= 50,000 device events/s")));
    }

    private static CoordinatorWork drive(int vms, String prefix) {
        CoordinatorWork work = new CoordinatorWork(true);
        List<InstantAgents> fleet = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            InstantAgents vm = new InstantAgents("vm-" + prefix + "-" + i, DEVICES, e -> { }, Optional.of(work));
            vm.start();
            fleet.add(vm);
        }
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (InstantAgents vm : fleet) {
                progressed |= vm.step();
            }
        }
        for (InstantAgents vm : fleet) {
            if (!vm.saga().isTerminal(vm.state())) {
                throw new IllegalStateException(vm.vm() + " did not finish its migration: " + vm.phase());
            }
        }
        return work;
    }
}
