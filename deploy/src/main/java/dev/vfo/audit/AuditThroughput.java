package dev.vfo.audit;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.sim.Recording;
import dev.vfo.core.sim.Simulation;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit's throughput on one thread: decode and verify simulator logs (every agent event and
 * hash-chained coordinator-log entry of {@code seeds} runs, as on the topics) and print records
 * per second. It prints, never asserts: the benchmark suite records the number.
 *
 * <p>{@code java -cp vfo-all.jar dev.vfo.audit.AuditThroughput [records] [rounds]}: at least that
 * many records ({@link #log}, default 100,000); the best round counts, so rounds must be enough for
 * the JIT to warm up (default 20). The benchmark suite's number is JMH's ({@code AuditBench}).
 */
public final class AuditThroughput {

    /** Per-thread CPU time: on a shared machine, the rate one core gives whatever else runs. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Worker threads of the parallel audit: one per core. */
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private AuditThroughput() {}

    public static void main(String[] args) {
        int atLeast = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        TopicCatalog topics = TopicCatalog.defaults();
        System.out.println(measure(topics, log(topics, atLeast), rounds));
    }

    /**
     * Simulator runs (seed 1, 2, ...) until there are at least {@code atLeast} records, in the
     * order {@link TopicLog} reads them back from the topics: partition number by partition
     * number, each one's device events and coordinator log merged by timestamp (device events
     * first on a tie). Runs that share a partition interleave, as VMs do on a real one.
     */
    public static List<LoggedRecord> log(TopicCatalog topics, int atLeast) {
        java.util.SortedMap<Integer, List<LoggedRecord>> events = new java.util.TreeMap<>();
        java.util.SortedMap<Integer, List<LoggedRecord>> entries = new java.util.TreeMap<>();
        String log = topics.coordinatorLog().name();
        int n = 0;
        for (long seed = 1; n < atLeast; seed++) {
            for (LoggedRecord r : records(topics, Simulation.record(seed))) {
                (r.topic().equals(log) ? entries : events).computeIfAbsent(r.partition(), k -> new ArrayList<>())
                        .add(r);
                n++;
            }
        }
        List<LoggedRecord> out = new ArrayList<>(n);
        java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>(events.keySet());
        partitions.addAll(entries.keySet());
        for (int p : partitions) {
            out.addAll(merged(events.getOrDefault(p, List.of()), entries.getOrDefault(p, List.of())));
        }
        return out;
    }

    /**
     * {@code rounds} audits of {@code records}, each from a fresh engine; the best round's rate,
     * next to the rate of decoding alone (LogCodec, no checks) so the cost of each part shows.
     */
    public static String measure(TopicCatalog topics, List<LoggedRecord> records, int rounds) {
        double best = 0;
        double bestCpu = 0;
        double bestParallel = 0;
        double decodeOnly = 0;
        double withoutReplay = 0;
        long violations = -1;
        String log = topics.coordinatorLog().name();
        for (int r = 0; r < rounds; r++) {
            long d0 = System.nanoTime();
            long ok = 0;
            for (LoggedRecord rec : records) {
                byte[] v = rec.value().orElseThrow();
                ok += (rec.topic().equals(log) ? LogCodec.decodeLogEntry(v) : LogCodec.decodeAgentEvent(v)).kind()
                        == dev.vfo.schemas.codec.Decoded.Kind.OK ? 1 : 0;
            }
            decodeOnly = Math.max(decodeOnly, ok * 1e9 / (System.nanoTime() - d0));
            long n0 = System.nanoTime();
            audit(topics, new AuditEngine.Scope(Optional.empty(), false), records);
            withoutReplay = Math.max(withoutReplay, records.size() * 1e9 / (System.nanoTime() - n0));
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            AuditReport report = audit(topics, AuditEngine.Scope.everything(), records);
            long ns = System.nanoTime() - t0;
            best = Math.max(best, records.size() * 1e9 / ns);
            bestCpu = Math.max(bestCpu, records.size() * 1e9 / (CPU.getCurrentThreadCpuTime() - c0));
            violations = report.violationCount();
            long p0 = System.nanoTime();
            PartitionedAudit parallel = new PartitionedAudit(topics, AuditEngine.Scope.everything(), THREADS);
            records.forEach(parallel);
            parallel.finish(END);
            bestParallel = Math.max(bestParallel, records.size() * 1e9 / (System.nanoTime() - p0));
        }
        return String.format(java.util.Locale.ROOT, "audit throughput: %d records, best of %d rounds: %.0f records/s on"
                + " one thread decoded and verified (%.0f per second of that thread's CPU time); %.0f records/s on %d"
                + " threads (PartitionedAudit); without re-deriving decisions %.0f records/s; decoding alone %.0f"
                + " records/s (violations %d)", records.size(), rounds, best, bestCpu, bestParallel, THREADS,
                withoutReplay, decodeOnly, violations);
    }

    /** An audit that ends after the log: every migration in it had its time to finish. */
    public static final Instant END = Instant.parse("2100-01-01T00:00:00Z");

    /** {@code records} audited from memory by a fresh engine on this thread, ended at {@link #END}. */
    public static AuditReport audit(TopicCatalog topics, AuditEngine.Scope scope, List<LoggedRecord> records) {
        AuditEngine engine = new AuditEngine(topics, scope);
        for (LoggedRecord r : records) {
            engine.accept(r);
        }
        return engine.finish(END);
    }

    /** One run's evidence as it sits on the topics, in audit order (device events first on a tie). */
    public static List<LoggedRecord> records(TopicCatalog topics, Recording run) {
        int p = topics.partitionOf(run.vm());
        byte[] key = TopicCatalog.key(run.vm());
        List<LoggedRecord> events = new ArrayList<>();
        for (AgentEvent e : run.produced()) {
            events.add(new LoggedRecord(topics.deviceEvents().name(), p, events.size(), e.at().toEpochMilli(),
                    Optional.of(key), Optional.of(LogCodec.encode(e))));
        }
        List<LoggedRecord> log = new ArrayList<>();
        ChainHead head = ChainHead.genesis(run.vm());
        Instant at = Instant.EPOCH;
        for (SagaEvent e : run.log()) {
            if (e.recordsInput() && e.input().at().isAfter(at)) {
                at = e.input().at();
            }
            HashChain.Appended a = HashChain.append(head, e);
            head = a.head();
            log.add(new LoggedRecord(topics.coordinatorLog().name(), p, log.size(), at.toEpochMilli(), Optional.of(key),
                    Optional.of(a.bytes())));
        }
        return merged(events, log);
    }

    /** Device events and log entries merged by timestamp, device events first on a tie (audit order). */
    private static List<LoggedRecord> merged(List<LoggedRecord> events, List<LoggedRecord> log) {
        List<LoggedRecord> out = new ArrayList<>(events.size() + log.size());
        int i = 0;
        int j = 0;
        while (i < events.size() || j < log.size()) {
            if (j >= log.size() || (i < events.size() && events.get(i).timestamp() <= log.get(j).timestamp())) {
                out.add(events.get(i++));
            } else {
                out.add(log.get(j++));
            }
        }
        return out;
    }
}
