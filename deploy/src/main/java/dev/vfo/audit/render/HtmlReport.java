package dev.vfo.audit.render;

import dev.vfo.audit.AuditReport;
import dev.vfo.audit.AuditViolation;
import dev.vfo.audit.MigrationReport;
import dev.vfo.audit.QuarantinedRecord;
import dev.vfo.audit.RecordRef;
import dev.vfo.core.vfio.MigrationState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page (inline CSS and SVG; no script, no font, no fetch):
 * per migration one swimlane per device with its states along a time axis, phase markers, the
 * barrier waits (phase entered until its barrier), bytes per device, and the downtime window
 * (source quiesced until the guest runs again) shaded across every lane.
 */
public final class HtmlReport {

    /** One color per kernel state; the screenshot test looks for these. */
    public static final Map<MigrationState, String> COLORS = new EnumMap<>(MigrationState.class);

    static {
        COLORS.put(MigrationState.RUNNING, "#2e7d32");
        COLORS.put(MigrationState.RUNNING_P2P, "#9ccc65");
        COLORS.put(MigrationState.PRE_COPY, "#1565c0");
        COLORS.put(MigrationState.PRE_COPY_P2P, "#64b5f6");
        COLORS.put(MigrationState.STOP_COPY, "#ef6c00");
        COLORS.put(MigrationState.STOP, "#c62828");
        COLORS.put(MigrationState.RESUMING, "#8e24aa");
        COLORS.put(MigrationState.ERROR, "#212121");
    }

    static final int LEFT = 230;
    static final int PLOT = 1050;
    static final int LANE = 24;
    static final int GAP = 8;
    static final int HEADER = 92;

    private HtmlReport() {}

    public static void write(AuditReport r, PrintWriter out) {
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vfo audit</title><style>");
        out.println("body{font-family:sans-serif;margin:16px;color:#222;background:#fff}"
                + "h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:22px 0 4px}"
                + ".ok{color:#fff;background:#2e7d32;padding:1px 6px;border-radius:3px}"
                + ".bad{color:#fff;background:#c62828;padding:1px 6px;border-radius:3px}"
                + "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
                + ".legend span{display:inline-block;margin-right:12px;font-size:12px}"
                + ".legend i{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}"
                + "svg text{font-size:11px;font-family:sans-serif}");
        out.println("</style></head><body>");
        out.println("<h1>vfo audit " + badge(r.ok()) + "</h1>");
        out.println("<p>" + r.records() + " records, " + r.vms() + " VMs, " + r.devices() + " devices, "
                + r.chainEntries() + " coordinator-log entries; dead letters: " + r.deadLetters() + "; quarantined: "
                + r.quarantinedCount() + "; violations: "
                + r.violationCount() + (r.replayed() ? "; decisions re-derived" : "; decisions not re-derived") + "</p>");
        out.print("<div class=\"legend\">");
        COLORS.forEach((s, c) -> out.print("<span><i style=\"background:" + c + "\"></i>" + s + "</span>"));
        out.println("<span><i style=\"background:rgba(198,40,40,.18)\"></i>downtime</span>"
                + "<span><i style=\"background:#ffe082\"></i>barrier wait</span></div>");
        for (MigrationReport m : r.migrations()) {
            migration(m, out);
        }
        if (!r.violations().isEmpty()) {
            out.println("<h2>Violations</h2><table><tr><th>rule</th><th>VM</th><th>device</th><th>records</th>"
                    + "<th>what happened</th></tr>");
            for (AuditViolation v : r.violations()) {
                out.println("<tr><td>" + v.rule() + "</td><td>" + esc(v.vm().map(Object::toString).orElse("")) + "</td><td>"
                        + esc(v.device().map(Object::toString).orElse("")) + "</td><td>"
                        + esc(v.records().stream().map(RecordRef::toString).collect(Collectors.joining(" "))) + "</td><td>"
                        + esc(v.message()) + "</td></tr>");
            }
            out.println("</table>");
        }
        if (!r.quarantined().isEmpty()) {
            out.println("<h2>Quarantined records</h2><p>Undecodable, and dead-lettered with their bytes as they must be:"
                    + " not violations.</p><table><tr><th>record</th><th>VM</th><th>dead letter</th>"
                    + "<th>reason given</th><th>audit</th></tr>");
            for (QuarantinedRecord q : r.quarantined()) {
                out.println("<tr><td>" + esc(q.record().toString()) + "</td><td>"
                        + esc(q.vm().map(Object::toString).orElse("")) + "</td><td>" + esc(q.letter().toString())
                        + "</td><td>" + esc(q.reason()) + "</td><td>" + esc(q.finding()) + "</td></tr>");
            }
            out.println("</table>");
        }
        out.println("</body></html>");
        out.flush();
    }

    private static String badge(boolean ok) {
        return ok ? "<span class=\"ok\">OK</span>" : "<span class=\"bad\">VIOLATED</span>";
    }

    private static void migration(MigrationReport m, PrintWriter out) {
        out.println("<h2>" + esc(m.migration().toString()) + " &middot; " + esc(m.vm().toString()) + " &middot; "
                + esc(m.source().toString()) + " &rarr; " + esc(m.destination().toString()) + " &middot; " + m.outcome()
                + " " + badge(m.ok()) + "</h2>");
        out.println("<p>duration " + m.duration().toMillis() + " ms" + m.downtime().map(d -> ", downtime " + d.toMillis()
                + " ms").orElse("") + ", " + m.bytes() + " bytes moved" + (m.violations() > 0 ? ", " + m.violations()
                + " violations" : "") + (m.reason().isEmpty() ? "" : ", reason: " + esc(m.reason()))
                + (m.truncated() ? " (timeline truncated)" : "") + "</p>");
        if (m.lanes().isEmpty()) {
            return;
        }
        Instant start = m.start();
        Instant end = m.end().orElse(m.last());
        long span = Math.max(1, Duration.between(start, end).toMillis());
        int height = HEADER + m.lanes().size() * (LANE + GAP) + 30;
        out.println("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (LEFT + PLOT + 110) + "\" height=\"" + height
                + "\" role=\"img\">");
        int lanesTop = HEADER;
        int lanesBottom = HEADER + m.lanes().size() * (LANE + GAP);
        // Barrier waits: from the phase entered last before each barrier until the barrier (the next
        // phase starts at the barrier's instant, so "before" is strict).
        int row = 0;
        for (MigrationReport.Mark b : m.barriers()) {
            Optional<MigrationReport.Mark> phase = m.phases().stream().filter(p -> p.at().isBefore(b.at()))
                    .reduce((a, c) -> c);
            Instant from = phase.map(MigrationReport.Mark::at).orElse(start);
            int x0 = x(from, start, span);
            int x1 = Math.max(x0 + 2, x(b.at(), start, span));
            int y = 48 + (row++ % 3) * 13;
            out.println("<rect x=\"" + x0 + "\" y=\"" + (y - 9) + "\" width=\"" + (x1 - x0) + "\" height=\"11\" fill=\"#ffe082\">"
                    + "<title>" + esc(b.name()) + " waited " + Duration.between(from, b.at()).toMillis() + " ms</title></rect>");
            out.println("<text x=\"" + (x1 + 3) + "\" y=\"" + y + "\">" + esc(b.name()) + " "
                    + Duration.between(from, b.at()).toMillis() + "ms</text>");
        }
        // Downtime window across every lane.
        m.downtime().ifPresent(d -> {
            Instant from = m.barrier("SOURCE_QUIESCED").orElseThrow();
            int x0 = x(from, start, span);
            int x1 = Math.max(x0 + 2, x(from.plus(d), start, span));
            out.println("<rect x=\"" + x0 + "\" y=\"" + (lanesTop - 4) + "\" width=\"" + (x1 - x0) + "\" height=\""
                    + (lanesBottom - lanesTop + 4) + "\" fill=\"rgba(198,40,40,.18)\" stroke=\"#c62828\"/>");
            out.println("<text x=\"" + x0 + "\" y=\"" + (lanesBottom + 12) + "\" fill=\"#c62828\">downtime " + d.toMillis()
                    + " ms</text>");
        });
        int i = 0;
        for (MigrationReport.Lane l : m.lanes()) {
            int y = lanesTop + i++ * (LANE + GAP);
            out.println("<text x=\"4\" y=\"" + (y + 16) + "\">" + esc(l.device() + " @" + l.host() + (l.source()
                    ? " (source)" : " (dest.)")) + "</text>");
            out.println("<rect x=\"" + LEFT + "\" y=\"" + y + "\" width=\"" + PLOT + "\" height=\"" + LANE
                    + "\" fill=\"#f4f4f4\"/>");
            List<MigrationReport.Band> bands = l.bands();
            for (int b = 0; b < bands.size(); b++) {
                MigrationReport.Band band = bands.get(b);
                Instant to = b + 1 < bands.size() ? bands.get(b + 1).from() : end;
                int x0 = x(band.from(), start, span);
                int x1 = Math.max(x0 + 1, x(to, start, span));
                out.println("<rect x=\"" + x0 + "\" y=\"" + y + "\" width=\"" + (x1 - x0) + "\" height=\"" + LANE
                        + "\" fill=\"" + COLORS.get(band.state()) + "\"><title>" + esc(l.device() + " " + band.state()
                        + " from " + band.from() + " for " + Duration.between(band.from(), to).toMillis() + " ms")
                        + "</title></rect>");
            }
            out.println("<text x=\"" + (LEFT + PLOT + 4) + "\" y=\"" + (y + 16) + "\">" + (l.bytes() > 0
                    ? l.bytes() / 1024 + " KiB" : "") + "</text>");
        }
        // Phase markers over everything.
        int k = 0;
        for (MigrationReport.Mark p : m.phases()) {
            int x = x(p.at(), start, span);
            out.println("<line x1=\"" + x + "\" y1=\"" + (10 + (k % 3) * 12) + "\" x2=\"" + x + "\" y2=\"" + lanesBottom
                    + "\" stroke=\"#555\" stroke-dasharray=\"3,3\"/>");
            out.println("<text x=\"" + (x + 2) + "\" y=\"" + (18 + (k++ % 3) * 12) + "\">" + esc(p.name()) + "</text>");
        }
        out.println("<line x1=\"" + LEFT + "\" y1=\"" + (lanesBottom + 18) + "\" x2=\"" + (LEFT + PLOT) + "\" y2=\""
                + (lanesBottom + 18) + "\" stroke=\"#333\"/>");
        for (int t = 0; t <= 10; t++) {
            int x = LEFT + PLOT * t / 10;
            out.println("<text x=\"" + (x - 8) + "\" y=\"" + (lanesBottom + 29) + "\">" + (span * t / 10) + "ms</text>");
        }
        out.println("</svg>");
    }

    private static int x(Instant t, Instant start, long span) {
        long ms = Math.max(0, Math.min(span, Duration.between(start, t).toMillis()));
        return LEFT + (int) (PLOT * ms / span);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
