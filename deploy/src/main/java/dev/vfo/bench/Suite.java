package dev.vfo.bench;

import dev.vfo.schemas.broker.EmbeddedKafka;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole suite in one run: the in-process parts first (before any broker runs, so its threads
 * do not disturb them), then the Kafka parts on one broker with one set of settings, side by side.
 * Without bootstrap servers an in-JVM broker on 127.0.0.1 serves the run and is stopped after it.
 */
public final class Suite {

    private Suite() {}

    /** Every part, in the order they run. */
    public static List<Scenario> scenarios() {
        return List.of(new Microbenchmarks(), new InFlightMemory(), new SagaPhaseCost(), new FleetCeiling(),
                new RoundTrip(),
                new EndToEnd(EndToEnd.Part.BARRIER), new EndToEnd(EndToEnd.Part.ORCHESTRATION),
                new EndToEnd(EndToEnd.Part.FLEET), new Replay());
    }

    /**
     * Runs the scenarios of {@code sections} (all when empty) and returns the report, rows in
     * section order.
     */
    public static Report run(Budget budget, Optional<String> bootstrapServers, Set<String> sections, String command,
            PrintStream progress) throws Exception {
        long begin = System.nanoTime();
        String startedAt = Instant.now().toString();
        Optional<Machine.CpuTimes> cpuBefore = Machine.cpuTimes();
        String loadBefore = Machine.loadAverage();
        List<Scenario> chosen = scenarios().stream()
                .filter(s -> sections.isEmpty() || sections.contains(s.section())).toList();
        Map<String, String> titles = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        String namespace = "bench-" + System.currentTimeMillis();
        BenchContext inProcess = new BenchContext(budget, "none", "none", namespace, progress);
        for (Scenario s : chosen) {
            if (!s.needsKafka()) {
                titles.merge(s.section(), s.title(), (a, b) -> a.equals(b) ? a : a + "; " + b);
                rows.addAll(s.run(inProcess));
            }
        }
        String broker = bootstrapServers.map(b -> "external: " + b)
                .orElse("embedded: single-node KRaft in this JVM (schemas' EmbeddedKafka), 127.0.0.1, RF 1,"
                        + " default flush (no fsync per message)");
        if (chosen.stream().anyMatch(Scenario::needsKafka)) {
            EmbeddedKafka embedded = null;
            try {
                String bootstrap;
                if (bootstrapServers.isPresent()) {
                    bootstrap = bootstrapServers.get();
                } else {
                    progress.println("vfo bench: starting the embedded broker");
                    embedded = EmbeddedKafka.launch();
                    bootstrap = embedded.bootstrapServers();
                }
                BenchContext kafka = new BenchContext(budget, bootstrap, broker, namespace, progress);
                for (Scenario s : chosen) {
                    if (s.needsKafka()) {
                        titles.merge(s.section(), s.title(), (a, b) -> a.equals(b) ? a : a + "; " + b);
                        rows.addAll(s.run(kafka));
                    }
                }
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }
        rows.sort(Comparator.comparing(Row::section));
        Map<String, String> machine = new LinkedHashMap<>(Machine.describe());
        machine.put("load_average_at_start", loadBefore);
        machine.put("load_average_at_end", machine.remove("load_average"));
        machine.putAll(Machine.busy(cpuBefore, Machine.cpuTimes()));
        return new Report(command, budget.name(), broker, machine, settings(budget), titles, rows, startedAt,
                (System.nanoTime() - begin) / 1e9);
    }

    static Map<String, String> settings(Budget b) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("producer", "acks=all, enable.idempotence=true, linger.ms=0 (the control plane's)");
        m.put("transactional producer", "the same + transactional.id; one message per transaction");
        m.put("consumer", "isolation.level=read_committed, assigned partitions (no group), max.poll.records=2000");
        m.put("round trips", b.warmupRoundTrips() + " warm-up + " + b.roundTrips() + " timed per variant");
        m.put("replay", b.replayEvents() + " records per topic, median of " + b.repeats());
        m.put("memory", b.inFlightVms() + " VMs x 8 device pairs");
        m.put("jmh", b.jmhForks() + " fork(s), " + b.jmhWarmups() + " x " + b.jmhWarmupMillis() + " ms warm-up, "
                + b.jmhIterations() + " x " + b.jmhMeasureMillis() + " ms measured, 1 thread");
        return m;
    }
}
