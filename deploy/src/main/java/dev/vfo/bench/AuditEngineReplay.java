package dev.vfo.bench;

import dev.vfo.audit.AuditEngine;
import dev.vfo.audit.AuditReport;
import dev.vfo.audit.AuditThroughput;
import dev.vfo.audit.TopicLog;
import dev.vfo.core.sim.Simulation;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link AuditReplay} over {@code dev.vfo.audit}: the log is the simulator's runs (seed 1, 2, ...)
 * as the audit's own throughput measurement builds them ({@link AuditThroughput#records}: every
 * agent event and hash-chained coordinator-log entry, with their partitions and timestamps), and
 * the replay is the {@code vfo audit} path: {@link TopicLog} reading the topics in audit order
 * into a full {@link AuditEngine} (chain, device rules, decisions re-derived).
 */
public final class AuditEngineReplay implements AuditReplay {

    @Override
    public String description() {
        return "dev.vfo.audit: TopicLog -> AuditEngine (everything: chain, device rules, decisions re-derived),"
                + " one thread, on simulator logs";
    }

    @Override
    public long load(String bootstrapServers, TopicCatalog catalog, int atLeast) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long seed = 1; records.size() < atLeast; seed++) {
            for (LoggedRecord r : AuditThroughput.records(catalog, Simulation.record(seed))) {
                records.add(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key().orElse(null),
                        r.value().orElse(null)));
            }
        }
        return Replay.write(bootstrapServers, records);
    }

    @Override
    public Audited replay(String bootstrapServers, TopicCatalog catalog) {
        AuditEngine engine = new AuditEngine(catalog, AuditEngine.Scope.everything());
        long n = log(bootstrapServers, catalog).forEach(engine::accept);
        return new Audited(n, engine.finish(AuditThroughput.END).violationCount());
    }

    @Override
    public InMemory inMemory(String bootstrapServers, TopicCatalog catalog, int rounds) {
        List<LoggedRecord> records = new ArrayList<>();
        log(bootstrapServers, catalog).forEach(records::add);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] rates = new double[rounds];
        long violations = 0;
        for (int i = 0; i < rounds; i++) {
            // Each round starts on a collected heap, so no round pays for collecting the one before.
            System.gc();
            long c0 = cpu.getCurrentThreadCpuTime();
            AuditReport report = AuditThroughput.audit(catalog, AuditEngine.Scope.everything(), records);
            rates[i] = records.size() / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9);
            violations = report.violationCount();
        }
        return new InMemory(records.size(), violations, rates);
    }

    /** The {@code vfo audit} reader: both topics from offset 0, in audit order. */
    private static TopicLog log(String bootstrapServers, TopicCatalog catalog) {
        return new TopicLog(Map.of("bootstrap.servers", bootstrapServers), catalog,
                new TopicLog.Range(Optional.empty(), Optional.empty()), Duration.ofSeconds(30));
    }
}
