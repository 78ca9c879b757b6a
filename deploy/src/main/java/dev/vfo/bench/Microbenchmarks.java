package dev.vfo.bench;

import dev.vfo.bench.jmh.AuditBench;
import dev.vfo.bench.jmh.CodecBench;
import dev.vfo.bench.jmh.SagaBench;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Section 6, the JMH part: the saga's decide+evolve ops/s and the codec's ns per record. JMH's
 * own output goes to the progress stream; the rows carry the score and its 99.9% error.
 */
public final class Microbenchmarks implements Scenario {

    @Override
    public String section() {
        return "6";
    }

    @Override
    public boolean needsKafka() {
        return false;
    }

    @Override
    public String title() {
        return "In-process costs (JMH): decide+evolve, codec, hash chain, audit";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        Budget b = context.budget();
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(SagaBench.class.getName()) + "\\.")
                .include("^" + Pattern.quote(CodecBench.class.getName()) + "\\.")
                .parent(common(b, b.jmhWarmups(), b.jmhIterations()))
                .build();
        // One op audits 100,000 records (~0.2 s): the engine's code takes longer to compile fully
        // than a few short warm-ups give it, so it gets at least 6 warm-ups and 5 measurements.
        Options audit = new OptionsBuilder()
                .include("^" + Pattern.quote(AuditBench.class.getName()) + "\\.")
                .parent(common(b, b.jmhForks() == 0 ? b.jmhWarmups() : Math.max(6, b.jmhWarmups()),
                        b.jmhForks() == 0 ? b.jmhIterations() : Math.max(5, b.jmhIterations())))
                .build();
        context.say("JMH: " + (b.jmhForks() == 0 ? "in this JVM" : b.jmhForks() + " fork(s)") + ", "
                + b.jmhWarmups() + "x" + b.jmhWarmupMillis() + " ms warm-up, " + b.jmhIterations() + "x"
                + b.jmhMeasureMillis() + " ms measured per benchmark (the audit: " + audit.getWarmupIterations().get()
                + " and " + audit.getMeasurementIterations().get() + ")");
        PrintStream out = context.progress();
        VerboseMode mode = b.name().equals("full") ? VerboseMode.NORMAL : VerboseMode.SILENT;
        List<RunResult> results = new ArrayList<>(new Runner(options,
                OutputFormatFactory.createFormatInstance(out, mode)).run());
        results.addAll(new Runner(audit, OutputFormatFactory.createFormatInstance(out, mode)).run());
        long eventsPerMigration = eventsOfOneMigration();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            Result<?> score = r.getPrimaryResult();
            Map<String, Double> v = new LinkedHashMap<>();
            String note = "JMH " + r.getParams().getForks() + " fork(s), " + r.getParams().getMeasurement().getCount()
                    + " iterations; error is JMH's 99.9% interval";
            if (score.getScoreUnit().startsWith("ops/")) {
                v.put("ops_per_s", score.getScore());
                v.put("error_ops_per_s", finite(score.getScoreError()));
                if (method.equals("auditEveryRecord")) {
                    int records = AuditBench.records();
                    v.put("records_per_op", (double) records);
                    v.put("records_per_s", score.getScore() * records);
                    note += "; one op = the audit of " + records + " records of simulator logs held in memory (every rule,"
                            + " decisions re-derived), one thread; wall time, so collector pauses and the machine's other"
                            + " tenants count (issue #8's per-core target is judged on CPU time, section 5)";
                    rows.add(Row.measured(section(), "jmh " + method, v, note));
                    continue;
                }
                if (method.equals("fullMigration8")) {
                    v.put("saga_events_per_op", (double) eventsPerMigration);
                    v.put("saga_events_per_s", score.getScore() * eventsPerMigration);
                    note += "; one op = a whole 8-device migration with zero-latency devices (incl. registering 16"
                            + " devices)";
                } else {
                    note += "; one op = decide + fold of one RUNNING_P2P report, 8-device VM in QUIESCE";
                }
            } else {
                v.put("ns_per_op", score.getScore());
                v.put("error_ns", finite(score.getScoreError()));
            }
            rows.add(Row.measured(section(), "jmh " + method, v, note));
        }
        return rows;
    }

    /** The settings every benchmark here shares; warm-up and measured iterations as given. */
    private static Options common(Budget b, int warmups, int iterations) {
        return new OptionsBuilder()
                .forks(b.jmhForks())
                .warmupIterations(warmups)
                .warmupTime(TimeValue.milliseconds(b.jmhWarmupMillis()))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(b.jmhMeasureMillis()))
                .threads(1)
                // A fixed heap, touched before measuring: growing the heap (page faults zeroing
                // fresh memory) is otherwise a large and varying part of an allocating loop.
                .jvmArgsAppend("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch")
                .shouldFailOnError(true)
                .build();
    }

    /** JMH reports NaN as the error of a single iteration; JSON has no NaN. */
    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    private static long eventsOfOneMigration() {
        InstantAgents vm = new InstantAgents("vm-count", 8);
        vm.migrate();
        return vm.events();
    }
}
