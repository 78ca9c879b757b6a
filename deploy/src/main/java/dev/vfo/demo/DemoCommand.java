package dev.vfo.demo;

import dev.vfo.cli.Vfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vfo demo}: the product doing its job on one machine, with nothing installed but a JDK.
 * See {@link DemoRun} for the story and {@link LocalStack} for what runs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs Kafka (KRaft, inside this process), a coordinator and the agents of two simulated hosts, "
                    + "then migrates VMs through the REST API: one that must succeed, one with an injected "
                    + "device failure that must roll back to the source, then audits the log."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:both migrations ended as expected and the audit passed",
            "1:an outcome was not as expected, or the stack failed (the reason is printed)",
            "2:invalid options"})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    StackOptions stack;

    @Option(names = "--vms", defaultValue = "1", paramLabel = "N",
            description = "VMs migrated concurrently in the first step (default: ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--export", paramLabel = "FILE",
            description = "Also write the whole log as an Avro Object Container File.")
    Path export;

    @Option(names = "--keep-running",
            description = "Keep the stack and its REST API up after the demo, until Ctrl-C.")
    boolean keepRunning;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        stack.check();
        if (vms < 1 || vms > 32) {
            throw new ParameterException(spec.commandLine(), "--vms must be 1 to 32, was " + vms);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        Instant began = Instant.now();
        out.println("starting Kafka (single-node KRaft, in this process), the coordinator and two simulated hosts...");
        out.flush();
        try (UntilStopped stopped = new UntilStopped(); LocalStack running = stack.start(0, vms)) {
            out.printf("stack up in %.1f s: Kafka at %s (data in %s), REST API at %s%n",
                    running.startup().toMillis() / 1000.0, running.bootstrapServers(), running.dataDirectory(),
                    running.api());
            Path timeline = Files.createTempDirectory("vfo-demo-").resolve("timeline.html");
            DemoRun.Verdict verdict = new DemoRun(running, out, terminal, Duration.ofMinutes(3), timeline,
                    Optional.ofNullable(export)).run();
            out.println();
            if (verdict.passed()) {
                out.printf("demo passed in %.1f s%n", Duration.between(began, Instant.now()).toMillis() / 1000.0);
            } else {
                out.println("demo FAILED:");
                verdict.failures().forEach(f -> out.println("  - " + f));
            }
            out.flush();
            if (keepRunning) {
                UpCommand.printAccess(out, running);
                stopped.await();
            }
            return verdict.passed() ? 0 : Vfo.FAILED;
        }
    }

    private static DemoRun.Verdict withFailure(DemoRun.Verdict v, String failure) {
        java.util.List<String> all = new java.util.ArrayList<>(v.failures());
        all.add(failure);
        return new DemoRun.Verdict(all);
    }
}
