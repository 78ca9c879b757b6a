package dev.vfo.audit.render;

import dev.vfo.audit.AuditReport;
import dev.vfo.audit.AuditViolation;
import dev.vfo.audit.MigrationReport;
import dev.vfo.audit.QuarantinedRecord;
import java.io.PrintWriter;
import java.time.Duration;

/** The human summary: what was read, a verdict line per migration, every violation, the overall verdict. */
public final class TextReport {

    private TextReport() {}

    public static void write(AuditReport r, PrintWriter out) {
        out.println("vfo audit: " + r.records() + " records (" + r.recordsPerTopic() + "), " + r.vms() + " VMs, "
                + r.devices() + " devices, " + r.chainEntries() + " coordinator-log entries"
                + (r.replayed() ? ", decisions re-derived" : ", decisions not re-derived (the log was not read from its start)"));
        out.println("dead letters: " + r.deadLetters() + (r.deadLetters() > 0
                ? " (undecodable records set aside by consumers; not violations, but look at them)" : ""));
        out.println("quarantined: " + r.quarantinedCount() + (r.quarantinedCount() > 0
                ? " (undecodable records dead-lettered with their bytes, as they must be; not violations)"
                + (r.quarantinedCount() > r.quarantined().size() ? " (first " + r.quarantined().size() + " shown)" : "")
                : ""));
        for (QuarantinedRecord q : r.quarantined()) {
            out.println("  " + q);
        }
        out.println("migrations: " + r.migrations().size());
        for (MigrationReport m : r.migrations()) {
            out.println("  " + (m.ok() ? "OK       " : "VIOLATED ") + m.outcome() + " " + m.migration() + " vm=" + m.vm()
                    + " " + m.source() + " -> " + m.destination() + " duration=" + millis(m.duration())
                    + m.downtime().map(d -> " downtime=" + millis(d)).orElse("") + " bytes=" + m.bytes()
                    + (m.violations() > 0 ? " violations=" + m.violations() : "")
                    + (m.reason().isEmpty() ? "" : " reason: " + m.reason()));
        }
        out.println("violations: " + r.violationCount()
                + (r.violationCount() > r.violations().size() ? " (first " + r.violations().size() + " shown)" : ""));
        for (AuditViolation v : r.violations()) {
            out.println("  " + v);
        }
        out.println(r.ok() ? "verdict: OK, every rule holds" : "verdict: VIOLATED");
        out.flush();
    }

    static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
