package dev.vfo.demo;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Shows migrations' progress from their API representation (GET /v1/migrations/{id}) and their
 * event streams. On a terminal the last line is a live status line (a bar of the bytes all shown
 * migrations transferred, and their phases) redrawn in place; elsewhere (a pipe, a CI log) only changes are printed, as
 * plain lines, so a log stays readable and short. Either way each phase change and each change of
 * a device's state is printed as its own line.
 */
public final class ProgressDisplay {
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final long expectedBytes;
    /** Per migration id: the last line printed for it, and its last snapshot (for the bar). */
    private final Map<String, String> lastLine = new HashMap<>();
    private final Map<String, JsonObject> latest = new HashMap<>();
    private boolean statusLineShown;

    /**
     * @param expectedBytes what the complete transfers move at least (the bar's 100%; pre-copy
     *     passes may move more, and the bar then stays full)
     */
    public ProgressDisplay(PrintWriter out, boolean terminal, long expectedBytes) {
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.expectedBytes = expectedBytes;
    }

    /** A saga event from the stream: one line saying what it means, if it is worth a line. */
    public synchronized void event(String vm, ServerSentEvent e) {
        Optional<String> line = describe(e);
        if (line.isPresent()) {
            clearStatusLine();
            out.println("  " + vm + " " + line.get());
            out.flush();
        }
    }

    /**
     * The event as a reader wants it: the phase entered, the barrier reached, a decision with its
     * reason. Issued commands get no line: their effect shows as the devices' states, and four
     * devices make dozens of them.
     */
    static Optional<String> describe(ServerSentEvent e) {
        JsonObject data;
        try {
            data = new JsonObject(e.data()).getJsonObject("data", new JsonObject());
        } catch (DecodeException | ClassCastException ex) {
            return Optional.of(e.event());
        }
        String reason = data.containsKey("reason") ? ": " + data.getValue("reason") : "";
        switch (e.event()) {
            case "COMMAND_ISSUED":
                return Optional.empty();
            case "PHASE_ENTERED":
                return Optional.of("> phase " + data.getString("phase", "?"));
            case "BARRIER_REACHED":
                return Optional.of("| barrier " + data.getString("barrier", "?"));
            case "PLAN_ACCEPTED":
                return Optional.of("plan accepted: " + data.getValue("devices", "?") + " devices, "
                        + data.getString("sourceHost", "?") + " -> " + data.getString("destinationHost", "?"));
            default:
                return Optional.of(e.event().toLowerCase(Locale.ROOT).replace('_', ' ') + reason);
        }
    }

    /** A snapshot of a migration; prints what changed since its last one. */
    public synchronized void show(JsonObject migration) {
        String id = migration.getString("id", "?");
        String line = String.format(Locale.ROOT, "  %s %s %s  %s", migration.getString("vm"),
                migration.getString("phase", "?"), migration.getString("status"), devices(migration));
        latest.put(id, migration);
        if (!line.equals(lastLine.get(id))) {
            clearStatusLine();
            out.println(terminal ? line : line + "  " + mib(migration.getLong("bytes", 0L)) + " moved");
            lastLine.put(id, line);
        }
        if (terminal) {
            long done = latest.values().stream().mapToLong(m -> m.getLong("bytes", 0L)).sum();
            String phases = String.join(" ", latest.values().stream().map(m -> m.getString("phase", "?")).toList());
            out.print("\r\033[K  " + bar(done, expectedBytes, BAR_WIDTH) + "  " + phases);
            statusLineShown = true;
        }
        out.flush();
    }

    /** Ends the live line so the next output starts on a fresh line. */
    public synchronized void finish() {
        if (statusLineShown) {
            out.println();
            statusLineShown = false;
        }
        out.flush();
    }

    private void clearStatusLine() {
        if (statusLineShown) {
            out.print("\r\033[K");
            statusLineShown = false;
        }
    }

    /** Each device pair as {@code source>destination: SOURCE_STATE/DESTINATION_STATE}. */
    static String devices(JsonObject migration) {
        JsonArray devices = migration.getJsonArray("devices", new JsonArray());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < devices.size(); i++) {
            JsonObject d = devices.getJsonObject(i);
            if (i > 0) {
                b.append(", ");
            }
            b.append(shortName(d.getString("source"))).append(' ')
                    .append(d.getString("sourceState")).append('/').append(d.getString("destinationState"));
        }
        return b.toString();
    }

    /** The device's own name without the host and VM prefix the demo gives it. */
    private static String shortName(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? id : id.substring(dot + 1);
    }

    /** {@code [#######.......]  45%  10.8/24.0 MiB}; full (not beyond) when more than expected moved. */
    static String bar(long done, long total, int width) {
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]"
                + String.format(Locale.ROOT, " %3d%%  %s/%s", Math.round(fraction * 100), mibNumber(done), mib(total));
    }

    static String mib(long bytes) {
        return mibNumber(bytes) + " MiB";
    }

    private static String mibNumber(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
