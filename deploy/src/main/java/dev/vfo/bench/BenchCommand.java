package dev.vfo.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vfo bench}: runs the benchmark suite, prints the table, writes {@code bench.json} and the
 * generated part of {@code BENCHMARKS.md}. A benchmark, not a test: it exits 0 whatever the
 * numbers are, and 1 only when it could not measure (the broker is unreachable, a benchmark threw).
 */
@Command(
        name = "bench",
        description = {
            "Run the benchmark suite: raw Kafka round trips (the floor), barrier and orchestration overhead,"
                    + " fleet throughput, replay speed, and the in-process costs (JMH: decide+evolve, codec;"
                    + " heap per in-flight migration).",
            "Prints a table; writes <out>/bench.json and regenerates the generated part of the Markdown file."
                    + " Reports numbers against the targets; never fails on them."
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A couple of minutes instead of the full run (fewer samples, JMH in this JVM).")
    boolean quick;

    @Option(names = "--tiny", hidden = true, description = "Seconds, for the smoke test: every section runs, the numbers mean little.")
    boolean tiny;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Where bench.json goes (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--markdown", paramLabel = "FILE", defaultValue = "BENCHMARKS.md",
            description = "The Markdown file whose generated part is replaced (default ${DEFAULT-VALUE}; created if missing).")
    Path markdown;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Run the Kafka parts against this cluster instead of an embedded broker on 127.0.0.1.")
    Optional<String> bootstrapServers;

    @Option(names = "--sections", split = ",", paramLabel = "N",
            description = "Only these sections (1-6, comma-separated); all by default.")
    List<String> sections = List.of();

    @Override
    public Integer call() throws Exception {
        if (quick && tiny) {
            throw new ParameterException(spec.commandLine(), "--quick and --tiny exclude each other");
        }
        Set<String> only = new LinkedHashSet<>(sections);
        for (String s : only) {
            if (!s.matches("[1-6]")) {
                throw new ParameterException(spec.commandLine(), "--sections takes numbers 1 to 6, not '" + s + "'");
            }
        }
        Budget budget = tiny ? Budget.TINY : quick ? Budget.QUICK : Budget.FULL;
        // Progress and JMH's output go to stderr: stdout carries only the table.
        PrintStream progress = System.err;
        Report report = Suite.run(budget, bootstrapServers, only, command(), progress);
        PrintWriter stdout = spec.commandLine().getOut();
        report.printTable(stdout);
        Files.createDirectories(out);
        Path json = out.resolve("bench.json");
        Files.writeString(json, report.json(), StandardCharsets.UTF_8);
        report.writeMarkdown(markdown);
        stdout.println();
        stdout.println("wrote " + json + " and the generated part of " + markdown);
        stdout.flush();
        return 0;
    }

    /** The command that reproduces this run, as typed from the repository root. */
    private String command() {
        StringBuilder b = new StringBuilder("deploy/bin/vfo bench");
        if (quick) {
            b.append(" --quick");
        }
        if (tiny) {
            b.append(" --tiny");
        }
        bootstrapServers.ifPresent(s -> b.append(" --bootstrap-servers ").append(s));
        if (!sections.isEmpty()) {
            b.append(" --sections ").append(String.join(",", sections));
        }
        return b.toString();
    }
}
