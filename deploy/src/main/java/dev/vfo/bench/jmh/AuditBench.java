package dev.vfo.bench.jmh;

import dev.vfo.audit.AuditEngine;
import dev.vfo.audit.AuditReport;
import dev.vfo.audit.AuditThroughput;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The audit on one thread, decoding and verifying every record (chain, device rules, P2P order,
 * decisions re-derived through the saga) of simulator logs as {@code vfo audit} reads them from the
 * topics ({@link AuditThroughput#log}), held in memory so the consumer is not measured. One op
 * audits the whole log with a fresh engine; records per second is ops per second times
 * {@link #RECORDS}. Wall time: issue #8's target (500,000 per second on one core) is judged on the
 * auditing thread's CPU time, in section 5.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class AuditBench {

    /** At least this many records per op: whole simulator runs, about 450 of them. */
    public static final int RECORDS = 100_000;

    TopicCatalog topics;
    List<LoggedRecord> log;

    /** The records of one op (deterministic: the same seeds every time). */
    public static int records() {
        return AuditThroughput.log(TopicCatalog.defaults(), RECORDS).size();
    }

    @Setup
    public void build() {
        topics = TopicCatalog.defaults();
        log = AuditThroughput.log(topics, RECORDS);
        AuditReport clean = audit();
        if (clean.violationCount() != 0) {
            throw new IllegalStateException("the simulator logs should audit clean: " + clean.violationCount());
        }
    }

    @Benchmark
    public AuditReport auditEveryRecord() {
        return audit();
    }

    private AuditReport audit() {
        return AuditThroughput.audit(topics, AuditEngine.Scope.everything(), log);
    }
}
