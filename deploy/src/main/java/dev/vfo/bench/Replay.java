package dev.vfo.bench;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Section 5: how fast a log can be read back. Two real topics of the catalog are filled (setup, not
 * timed): the device-events topic with N DeviceStateChanged events over many VMs, and the
 * coordinator log with the hash-chained entries of whole 8-device migrations decided by the real
 * saga. Then, per topic: a raw consumer reading it end to end (the reference), the same consumer
 * decoding every record with LogCodec (the most an audit reading through Kafka can do), decoding
 * alone from memory (the CPU ceiling). Then the audit engine through {@link AuditReplay} on a log
 * it accepts as clean, against a raw consumer reading the same topics. Each throughput is the
 * median of {@code repeats} runs.
 */
public final class Replay implements Scenario {

    static final double TARGET_RATIO = 0.8;
    /** Issue #8: decoded and verified per second on one core (of the auditing thread's CPU time). */
    static final double TARGET_PER_CORE = 500_000;

    @Override
    public String section() {
        return "5";
    }

    @Override
    public String title() {
        return "Replay: audit vs raw consumer on the same topic";
    }

    /** One topic to replay: its records and how a reader decodes one value. */
    private record Log(String label, TopicSpec topic, List<byte[]> keys, List<byte[]> values,
            Function<byte[], Decoded<?>> decode) {}

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        TopicCatalog catalog = context.catalog();
        context.ensure(List.of(catalog.deviceEvents(), catalog.coordinatorLog()));
        int n = context.budget().replayEvents();
        List<Row> rows = new ArrayList<>();
        for (Log log : List.of(deviceEvents(catalog, n), coordinatorLog(catalog, n))) {
            rows.addAll(measure(context, log));
        }
        rows.addAll(audit(context, n));
        return rows;
    }

    /**
     * The audit on its own topics (a consistent log: the agents' events and the coordinator log of
     * simulator runs), against a raw consumer reading the same two topics.
     */
    private static List<Row> audit(BenchContext context, int n) throws Exception {
        Row.Target target = Row.Target.atLeast("ratio_to_raw", TARGET_RATIO, ">= 0.8x raw consumption");
        Row.Target perCore = Row.Target.atLeast("cpu_events_per_s", TARGET_PER_CORE,
                ">= 500,000 records decoded and verified per second on one core");
        Optional<AuditReplay> audit = AuditReplay.find();
        String name = "audit replay vs raw consumer: device events + coordinator log";
        String inMemoryName = "audit decoded and verified on one core: the same records, read from the topics into memory";
        if (audit.isEmpty()) {
            String why = "needs an audit engine registered as a dev.vfo.bench.AuditReplay";
            return List.of(Row.notRun("5", name, why, Optional.of(target)),
                    Row.notRun("5", inMemoryName, why, Optional.of(perCore)));
        }
        TopicCatalog catalog = new TopicCatalog(context.namespace() + "-audit", TopicCatalog.DEFAULT_PARTITIONS,
                Optional.empty());
        context.ensure(List.of(catalog.deviceEvents(), catalog.coordinatorLog(), catalog.deadLetters()));
        context.say("audit replay: writing simulator logs (>= " + n + " records) to " + catalog.deviceEvents().name()
                + " and " + catalog.coordinatorLog().name());
        long written = audit.get().load(context.bootstrapServers(), catalog, n);
        List<String> topics = List.of(catalog.deviceEvents().name(), catalog.coordinatorLog().name());
        int repeats = context.budget().repeats();
        double[] raw = new double[repeats];
        double[] audited = new double[repeats];
        double[] rawCpu = new double[repeats];
        double[] auditedCpu = new double[repeats];
        long violations = 0;
        audit.get().replay(context.bootstrapServers(), catalog); // untimed warm-up of the engine's code
        // Both readers run in this thread (the classic consumer polls in the caller), so its CPU
        // time is what each costs on one core, whatever else the shared machine runs meanwhile.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats; i++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            raw[i] = consume(context.bootstrapServers(), topics, written, null);
            rawCpu[i] = written / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9);
            long start = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            AuditReplay.Audited a = audit.get().replay(context.bootstrapServers(), catalog);
            audited[i] = a.records() / ((System.nanoTime() - start) / 1e9);
            auditedCpu[i] = a.records() / ((cpu.getCurrentThreadCpuTime() - c1) / 1e9);
            if (a.records() != written) {
                throw new IllegalStateException("the audit replayed " + a.records() + " of " + written + " records");
            }
            violations = a.violations();
        }
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("events_per_s", median(audited));
        v.put("raw_events_per_s", median(raw));
        v.put("ratio_to_raw", median(audited) / median(raw));
        v.put("cpu_events_per_s", median(auditedCpu));
        v.put("raw_cpu_events_per_s", median(rawCpu));
        v.put("cpu_ratio_to_raw", median(auditedCpu) / median(rawCpu));
        v.put("records", (double) written);
        v.put("violations_found", (double) violations);
        Row replay = Row.measured("5", name, v, audit.get().description() + "; raw = the same read_committed consumer"
                + " settings reading both topics end to end; median of " + repeats + " after one untimed audit; cpu_ = records"
                + " per second of the reading thread's CPU time (one core, whatever the machine's load)")
                .against(target);
        int rounds = Math.max(5, 5 * repeats);
        AuditReplay.InMemory m = audit.get().inMemory(context.bootstrapServers(), catalog, rounds);
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("cpu_events_per_s", median(m.cpuRecordsPerSecond()));
        w.put("best_cpu_events_per_s", Arrays.stream(m.cpuRecordsPerSecond()).max().orElse(0));
        w.put("records", (double) m.records());
        w.put("violations_found", (double) m.violations());
        Row inMemory = Row.measured("5", inMemoryName, w, "the audit of the row above (every rule, decisions"
                + " re-derived) with the consumer taken out: records fetched once, then audited from memory by a fresh"
                + " engine per round, the heap collected before each; records per second of this thread's CPU time,"
                + " median of " + rounds + " rounds after the replays above warmed the code (CPU time: one core's"
                + " work, whatever the collector's threads and the machine's other tenants do; jmh auditEveryRecord in"
                + " section 6 is the same audit in wall time)").against(perCore);
        return List.of(replay, inMemory);
    }

    private static Log deviceEvents(TopicCatalog catalog, int n) {
        List<byte[]> keys = new ArrayList<>(n);
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int vm = i / 64;
            AgentEvent.DeviceStateChanged e = SampleRecords.deviceStateChanged(vm, i % 8, 1 + i % 64);
            keys.add(TopicCatalog.key(e.vm()));
            values.add(LogCodec.encode(e));
        }
        return new Log("device events (DeviceStateChanged)", catalog.deviceEvents(), keys, values,
                LogCodec::decodeAgentEvent);
    }

    /** Whole migrations' logs, each VM's entries hash-chained, VMs appended one after the other. */
    private static Log coordinatorLog(TopicCatalog catalog, int n) {
        List<byte[]> keys = new ArrayList<>(n);
        List<byte[]> values = new ArrayList<>(n);
        for (int vm = 0; values.size() < n; vm++) {
            VmId id = new VmId("vm-log-" + vm);
            byte[] key = TopicCatalog.key(id);
            ChainHead[] head = {ChainHead.genesis(id)};
            InstantAgents agents = new InstantAgents(id.value(), 8, e -> {
                if (values.size() < n) {
                    HashChain.Appended a = HashChain.append(head[0], e);
                    head[0] = a.head();
                    keys.add(key);
                    values.add(a.bytes());
                }
            });
            agents.migrate();
        }
        return new Log("coordinator log (hash-chained LogEntry, whole migrations)", catalog.coordinatorLog(), keys,
                values, LogCodec::decodeLogEntry);
    }

    private static List<Row> measure(BenchContext context, Log log) throws Exception {
        int n = log.values().size();
        int repeats = context.budget().repeats();
        long bytes = log.values().stream().mapToLong(v -> v.length).sum();
        context.say("replay " + log.label() + ": writing " + n + " records (" + bytes / 1024 + " KiB) to "
                + log.topic().name());
        fill(context.bootstrapServers(), log);
        decodeOnly(log); // untimed: the decoders' first calls are interpreted, not what a long replay sees
        // Round-robin over the repeats, so a change in the machine's load hits every reader alike.
        double[][] rates = new double[3][repeats];
        for (int i = 0; i < repeats; i++) {
            rates[0][i] = consume(context.bootstrapServers(), List.of(log.topic().name()), n, null);
            rates[1][i] = consume(context.bootstrapServers(), List.of(log.topic().name()), n, log.decode());
            rates[2][i] = decodeOnly(log);
        }
        double raw = median(rates[0]);
        double decoding = median(rates[1]);
        double decodeOnly = median(rates[2]);
        String setting = n + " records, avg " + bytes / n + " B, " + log.topic().partitions() + " partitions, "
                + "read_committed, max.poll.records 2000; median of " + repeats;
        List<Row> rows = new ArrayList<>();
        rows.add(Row.measured("5", "raw consumer: " + log.label(), rate(raw, null, bytes, n), setting));
        rows.add(Row.measured("5", "raw consumer + LogCodec decode: " + log.label(), rate(decoding, raw, bytes, n),
                "the ceiling of an audit that reads through Kafka and decodes; " + setting));
        rows.add(Row.measured("5", "LogCodec decode only (in memory): " + log.label(), rate(decodeOnly, raw, bytes, n),
                "single thread, no Kafka: the CPU ceiling of decoding"));
        return rows;
    }

    private static Map<String, Double> rate(double perSecond, Double raw, long bytes, int n) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("events_per_s", perSecond);
        v.put("mib_per_s", perSecond * ((double) bytes / n) / (1 << 20));
        if (raw != null) {
            v.put("ratio_to_raw", perSecond / raw);
        }
        return v;
    }

    private static void fill(String bootstrap, Log log) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < log.values().size(); i++) {
            records.add(new ProducerRecord<>(log.topic().name(), log.keys().get(i), log.values().get(i)));
        }
        write(bootstrap, records);
    }

    /** Produces every record and fails if any send failed: a short topic would make every reader wait. */
    static long write(String bootstrap, Iterable<ProducerRecord<byte[], byte[]>> records) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long n = 0;
        try (KafkaProducer<byte[], byte[]> p = ControlPlaneClients.bulkProducer(bootstrap)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                p.send(r, (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                n++;
            }
            p.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("writing the replay topics failed", failed.get());
        }
        return n;
    }

    /** Reads all {@code n} records of every partition from the beginning; events/s from the first poll on. */
    private static double consume(String bootstrap, List<String> topics, long n, Function<byte[], Decoded<?>> decode) {
        String topic = String.join(", ", topics);
        try (KafkaConsumer<byte[], byte[]> c = ControlPlaneClients.consumer(bootstrap)) {
            List<TopicPartition> parts = topics.stream().flatMap(t -> c.partitionsFor(t).stream())
                    .map((PartitionInfo p) -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            long seen = 0;
            long failed = 0;
            long start = System.nanoTime();
            long giveUp = start + Duration.ofMinutes(5).toNanos();
            while (seen < n) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("read " + seen + " of " + n + " records of " + topic + " in 5 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    seen++;
                    if (decode != null && decode.apply(r.value()) instanceof Decoded.Failed) {
                        failed++;
                    }
                }
            }
            if (failed > 0) {
                throw new IllegalStateException(failed + " records of " + topic + " did not decode");
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double decodeOnly(Log log) {
        long start = System.nanoTime();
        long failed = 0;
        for (byte[] v : log.values()) {
            if (log.decode().apply(v) instanceof Decoded.Failed) {
                failed++;
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " records did not decode");
        }
        return log.values().size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] rates) {
        double[] r = rates.clone();
        Arrays.sort(r);
        return r[r.length / 2];
    }
}
