package dev.vfo.demo;

import dev.vfo.cli.Vfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The demo's story, told through the REST API of a running {@link LocalStack}: wait for the
 * agents to register the fleet's devices; migrate the healthy VMs concurrently and expect each to
 * succeed; migrate the VM with the injected commit failure and expect a rollback that leaves it
 * running on the source; then the audit of the log. Every expectation that does not hold is
 * collected with the reason, so the verdict says everything that went wrong at once.
 */
public final class DemoRun {
    private static final Duration POLL = Duration.ofMillis(250);

    private final LocalStack stack;
    private final ControlPlaneClient api;
    private final PrintWriter out;
    private final boolean terminal;
    private final Duration bound;
    private final Path timeline;
    private final Optional<Path> export;

    /** What the demo saw: the failed expectations (none means the demo passed). */
    public record Verdict(List<String> failures) {
        public Verdict {
            failures = List.copyOf(failures);
        }

        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /**
     * @param bound the longest any one wait may last (registration, a migration): a safety net
     *     against a wedged stack, far above what a healthy run takes, never a performance claim
     */
    public DemoRun(LocalStack stack, PrintWriter out, boolean terminal, Duration bound, Path timeline,
            Optional<Path> export) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.api = new ControlPlaneClient(stack.api(), stack.tokens().operator());
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.bound = Objects.requireNonNull(bound, "bound");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.export = Objects.requireNonNull(export, "export");
    }

    public Verdict run() throws InterruptedException {
        List<String> failures = new ArrayList<>();
        if (!stack.hasAgents()) {
            failures.add("the stack runs no agents, so no migration can progress");
            return new Verdict(failures);
        }
        DemoFleet fleet = stack.fleet();
        out.printf("waiting for the agents of %s and %s to register %d devices...%n", fleet.source(),
                fleet.destination(), fleet.deviceIds().size());
        out.flush();
        if (!stack.awaitRegistered(bound)) {
            failures.add("the agents did not register all " + fleet.deviceIds().size() + " devices within "
                    + bound.toSeconds() + " s");
            return new Verdict(failures);
        }

        List<DemoFleet.Vm> healthy = fleet.healthy();
        out.printf("%n1) live migration of %d VM(s) from %s to %s%n", healthy.size(), fleet.source(),
                fleet.destination());
        Map<String, JsonObject> first = migrate(healthy);
        first.values().forEach(m -> expect(failures, m, "SUCCEEDED"));

        DemoFleet.Vm faulty = fleet.failing();
        out.printf("%n2) migration of %s with an injected failure: %s refuses RESUMING>STOP%n", faulty.id(),
                faulty.devices().get(faulty.devices().size() - 1).destinationId());
        Map<String, JsonObject> second = migrate(List.of(faulty));
        second.values().forEach(m -> {
            expect(failures, m, "ROLLED_BACK");
            runningOnSource(failures, faulty);
        });

        out.printf("%n3) audit of the log: vfo audit verify --bootstrap-servers %s --html %s%n",
                stack.bootstrapServers(), timeline);
        out.flush();
        int audit = vfo("audit", "verify", "--bootstrap-servers", stack.bootstrapServers(), "--html",
                timeline.toString());
        if (audit != 0) {
            failures.add("the audit did not pass (vfo audit verify exited " + audit + ")");
        }
        out.printf("timeline: %s%n", timeline.toUri());
        if (export.isPresent()) {
            int exported = vfo("audit", "export", "--bootstrap-servers", stack.bootstrapServers(), "--out",
                    export.get().toString());
            if (exported != 0) {
                failures.add("the export to " + export.get() + " failed (vfo audit export exited " + exported + ")");
            }
        }
        return new Verdict(failures);
    }

    /** Runs a vfo command in this process, its output and errors into the demo's output. */
    private int vfo(String... args) {
        CommandLine cl = Vfo.commandLine();
        cl.setOut(out);
        cl.setErr(out);
        int exit = cl.execute(args);
        out.flush();
        return exit;
    }

    /** Starts one migration per VM, shows their progress until all ended, returns their final views. */
    private Map<String, JsonObject> migrate(List<DemoFleet.Vm> vms) throws InterruptedException {
        ProgressDisplay display = new ProgressDisplay(out, terminal,
                vms.stream().mapToLong(DemoFleet.Vm::stateBytes).sum());
        Map<String, JsonObject> latest = new LinkedHashMap<>();
        for (DemoFleet.Vm vm : vms) {
            JsonObject m = api.startMigration(DemoFleet.request(vm));
            out.printf("  POST /v1/migrations -> %s for %s%n", m.getString("id"), vm.id());
            latest.put(m.getString("id"), m);
        }
        List<Thread> streams = new ArrayList<>();
        for (String id : latest.keySet()) {
            String vm = latest.get(id).getString("vm");
            Thread t = new Thread(() -> followQuietly(id, vm, display), "vfo-demo-events-" + vm);
            t.setDaemon(true);
            t.start();
            streams.add(t);
        }
        long deadline = System.nanoTime() + bound.toNanos();
        while (latest.values().stream().anyMatch(m -> "ACTIVE".equals(m.getString("status")))
                && System.nanoTime() < deadline) {
            for (String id : latest.keySet()) {
                JsonObject m = api.migration(id);
                latest.put(id, m);
                display.show(m);
            }
            Thread.sleep(POLL.toMillis());
        }
        display.finish();
        for (Thread t : streams) {
            t.join(2_000);
            t.interrupt();
        }
        latest.values().forEach(m -> out.printf("  %s %s: %s%s%s%n", m.getString("vm"), m.getString("id"),
                m.getString("status"), m.containsKey("downtimeMs") ? ", downtime " + m.getLong("downtimeMs") + " ms" : "",
                m.containsKey("reason") ? ", reason: " + m.getString("reason") : ""));
        out.flush();
        return latest;
    }

    private void followQuietly(String id, String vm, ProgressDisplay display) {
        try {
            api.followEvents(id, e -> display.event(vm, e));
        } catch (RuntimeException e) {
            // The polled view still tells the outcome; a broken stream only loses the event lines.
            display.event(vm, new ServerSentEvent(Optional.empty(), "stream lost: " + e.getMessage(), ""));
        }
    }

    private static void expect(List<String> failures, JsonObject m, String status) {
        if (!status.equals(m.getString("status"))) {
            failures.add(m.getString("vm") + " (" + m.getString("id") + ") ended " + m.getString("status")
                    + ", expected " + status + m.getString("reason", "").transform(r -> r.isEmpty() ? "" : " (" + r + ")"));
        }
    }

    /** After the rollback every source device of the VM must be RUNNING again. */
    private void runningOnSource(List<String> failures, DemoFleet.Vm vm) {
        JsonArray devices = api.vm(vm.id()).getJsonArray("devices", new JsonArray());
        for (DemoFleet.Pair p : vm.devices()) {
            String state = devices.stream().map(JsonObject.class::cast)
                    .filter(d -> p.sourceId().equals(d.getString("id"))).map(d -> d.getString("state"))
                    .findFirst().orElse("unknown");
            if (!"RUNNING".equals(state)) {
                failures.add(vm.id() + ": source device " + p.sourceId() + " is " + state + " after the rollback, "
                        + "expected RUNNING");
            }
        }
    }
}
