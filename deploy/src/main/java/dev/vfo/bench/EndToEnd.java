package dev.vfo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sections 2 to 4, the end-to-end parts: they need a running coordinator loop and agents, which
 * are not merged yet. Each part states exactly what it will measure and against which target, and
 * returns rows saying why it did not run; no number is made up. When a
 * {@link CoordinatorUnderTest} is present, the rows say the driver for the part is the missing
 * piece (see BENCHMARKS.md, "Adding the end-to-end parts").
 */
public final class EndToEnd implements Scenario {

    /** The three parts, with the definitions. */
    public enum Part {
        BARRIER("2", "Barrier overhead: last RUNNING_P2P produced -> every agent consumed its STOP_COPY"),
        ORCHESTRATION("3", "Whole-migration orchestration overhead per phase, zero-latency devices"),
        FLEET("4", "Fleet throughput: concurrent migrations, one coordinator on 2 cores");

        final String section;
        final String title;

        Part(String section, String title) {
            this.section = section;
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** The device counts of section 2. */
    public static final List<Integer> BARRIER_DEVICES = List.of(2, 4, 8, 16);

    private final Part part;

    public EndToEnd(Part part) {
        this.part = part;
    }

    @Override
    public String section() {
        return part.section;
    }

    @Override
    public String title() {
        return part.title;
    }

    @Override
    public List<Row> run(BenchContext context) {
        Optional<CoordinatorUnderTest> coordinator = CoordinatorUnderTest.find();
        String reason = coordinator.isEmpty()
                ? "not run: needs the coordinator loop (branch loop) registered as dev.vfo.bench.CoordinatorUnderTest"
                : "not run: " + coordinator.get().description() + " is present but the " + part.name().toLowerCase()
                        + " driver is not written yet";
        List<Row> rows = new ArrayList<>();
        switch (part) {
            case BARRIER:
                for (int devices : BARRIER_DEVICES) {
                    rows.add(Row.notRun(part.section, "barrier overhead, " + devices + " devices", reason,
                            Optional.of(Row.Target.atMost("p99_ratio_to_raw_tx", 1.5,
                                    "p99 <= 1.5x the raw transactional round trip p99"))));
                }
                break;
            case ORCHESTRATION:
                rows.add(Row.notRun(part.section, "orchestration overhead per phase, 8 devices", reason,
                        Optional.empty()));
                break;
            case FLEET:
                rows.add(Row.notRun(part.section, context.budget().fleetVms() + " VMs x 8 devices: device events/s and"
                        + " max consumer lag", reason, Optional.of(Row.Target.atLeast("events_per_s", 50_000,
                                ">= 50,000 device events/s on 2 cores"))));
                break;
        }
        return rows;
    }
}
