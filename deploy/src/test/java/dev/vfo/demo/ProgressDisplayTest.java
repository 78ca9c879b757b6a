package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    private static final long MIB = 1 << 20;

    private static JsonObject migration(String phase, String sourceState, long bytes) {
        return new JsonObject().put("id", "m-1").put("vm", "vm-1").put("status", "ACTIVE").put("phase", phase)
                .put("bytes", bytes).put("devices", new JsonArray()
                        .add(new JsonObject().put("source", "host-a/vm-1.d0").put("destination", "host-b/vm-1.d0")
                                .put("sourceState", sourceState).put("destinationState", "RESUMING").put("bytes", bytes)));
    }

    @Test
    void theBarIsProportionalAndStaysFullBeyondTheExpectedBytes() {
        assertThat(ProgressDisplay.bar(0, 10 * MIB, 10)).isEqualTo("[..........]   0%  0.0/10.0 MiB");
        assertThat(ProgressDisplay.bar(5 * MIB, 10 * MIB, 10)).isEqualTo("[#####.....]  50%  5.0/10.0 MiB");
        assertThat(ProgressDisplay.bar(15 * MIB, 10 * MIB, 10)).isEqualTo("[##########] 100%  15.0/10.0 MiB");
        assertThat(ProgressDisplay.bar(3, 0, 4)).isEqualTo("[....]   0%  0.0/0.0 MiB");
    }

    @Test
    void plainOutputPrintsOnlyChangesWithoutControlCharacters() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), false, 10 * MIB);
        display.show(migration("PRE_COPY", "PRE_COPY_P2P", MIB));
        display.show(migration("PRE_COPY", "PRE_COPY_P2P", 2 * MIB));
        display.show(migration("STOP_COPY", "STOP_COPY", 4 * MIB));
        display.finish();
        assertThat(text.toString()).isEqualTo(
                "  vm-1 PRE_COPY ACTIVE  d0 PRE_COPY_P2P/RESUMING  1.0 MiB moved\n"
                        + "  vm-1 STOP_COPY ACTIVE  d0 STOP_COPY/RESUMING  4.0 MiB moved\n");
    }

    @Test
    void onATerminalTheStatusLineIsRedrawnAndClearedBeforeOtherLines() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true, 4 * MIB);
        display.show(migration("PRE_COPY", "PRE_COPY_P2P", MIB));
        display.show(migration("PRE_COPY", "PRE_COPY_P2P", 2 * MIB));
        display.finish();
        assertThat(text.toString()).isEqualTo("  vm-1 PRE_COPY ACTIVE  d0 PRE_COPY_P2P/RESUMING\n"
                + "\r\033[K  [########......................]  25%  1.0/4.0 MiB  PRE_COPY"
                + "\r\033[K  [###############...............]  50%  2.0/4.0 MiB  PRE_COPY\n");
    }

    private static ServerSentEvent sse(String kind, JsonObject data) {
        return new ServerSentEvent(Optional.of("3"), kind, new JsonObject().put("kind", kind).put("data", data).encode());
    }

    @Test
    void eventsSayWhatHappenedAndIssuedCommandsStaySilent() {
        assertThat(ProgressDisplay.describe(sse("PHASE_ENTERED", new JsonObject().put("phase", "STOP_COPY"))))
                .contains("> phase STOP_COPY");
        assertThat(ProgressDisplay.describe(sse("BARRIER_REACHED", new JsonObject().put("barrier", "QUIESCED"))))
                .contains("| barrier QUIESCED");
        assertThat(ProgressDisplay.describe(sse("ROLLBACK_STARTED", new JsonObject().put("reason", "EIO"))))
                .contains("rollback started: EIO");
        assertThat(ProgressDisplay.describe(sse("COMMAND_ISSUED", new JsonObject().put("type", "TRANSITION"))))
                .isEmpty();
        assertThat(ProgressDisplay.describe(new ServerSentEvent(Optional.empty(), "ODD", "not json"))).contains("ODD");
    }
}
