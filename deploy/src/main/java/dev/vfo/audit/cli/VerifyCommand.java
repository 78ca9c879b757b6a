package dev.vfo.audit.cli;

import dev.vfo.audit.AuditEngine;
import dev.vfo.audit.AuditReport;
import dev.vfo.audit.render.HtmlReport;
import dev.vfo.audit.render.JsonReport;
import dev.vfo.audit.render.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vfo audit verify}: replay the log and check every rule; exit 0 only when all hold. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Replay the coordinator log, the device events and the dead letters (live topics or an exported file) and"
                    + " check: every device transition is an arc its flags allow; the P2P order in both directions for"
                    + " each running instance; every migration ended or is within a live deadline; each VM ends running"
                    + " in exactly one place; the recorded decisions equal those re-derived through core; every VM's"
                    + " hash chain; no gaps or repeats in per-device sequences; every DeviceReported record is an event"
                    + " its registering agent produced.",
            "Prints a summary with a verdict per migration (or --json); --html writes a swimlane report."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every rule holds", "1:violations found", "2:usage or input error (unreadable file or broker)"})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source.Input input;

    @Mixin
    Source source;

    @Option(names = "--json", description = "Print the report as one JSON document instead of the summary.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report here.")
    Path html;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The time against which live deadlines are judged (default: the current time).")
    String now;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Audit partition numbers on N threads (VMs are independent; same verdict, violations listed"
                    + " per partition number). Default: ${DEFAULT-VALUE}, one engine.")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant at = now == null ? Instant.now() : parse(now);
            AuditEngine.Scope scope = new AuditEngine.Scope(source.vmId(), source.range().since().isEmpty());
            if (threads < 1) {
                throw new Source.InputError("--threads " + threads + ": at least 1", null);
            }
            java.util.function.Consumer<dev.vfo.schemas.codec.LoggedRecord> sink;
            java.util.function.Function<Instant, AuditReport> end;
            if (threads == 1) {
                AuditEngine engine = new AuditEngine(source.catalog(), scope);
                sink = engine::accept;
                end = engine::finish;
            } else {
                dev.vfo.audit.PartitionedAudit audit = new dev.vfo.audit.PartitionedAudit(source.catalog(), scope,
                        threads);
                sink = audit;
                end = audit::finish;
            }
            if (input.file != null) {
                source.readFile(input.file, sink);
            } else {
                source.readLive(input.live, sink);
            }
            AuditReport report = end.apply(at);
            if (json) {
                JsonReport.write(report, out);
                out.println();
                out.flush();
            } else {
                TextReport.write(report, out);
            }
            if (html != null) {
                try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8); PrintWriter p = new PrintWriter(w)) {
                    HtmlReport.write(report, p);
                }
            }
            return report.ok() ? 0 : 1;
        } catch (Source.InputError e) {
            err.println("vfo audit verify: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("vfo audit verify: cannot write the report: " + e.getMessage());
            return 2;
        }
    }

    private static Instant parse(String text) throws Source.InputError {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Source.InputError("--now '" + text + "' is not an ISO-8601 instant", e);
        }
    }
}
