package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The CLI's logback.xml under each VFO_LOG_FORMAT, configured into a context of its own (the
 * test's logging is untouched) with standard error captured while the appender starts.
 */
class LogFormatTest {

    private static String logged(String format) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        // A context made by hand has no MDC adapter; SLF4J's binding gives the real one.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("VFO_LOG_FORMAT", format);
            }
            context.putProperty("VFO_LOG_LEVEL", "INFO");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            context.getLogger("dev.vfo.test").info("migration {} started", "m-1");
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainIsTheDefaultLine() throws Exception {
        assertThat(logged(null)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  dev\\.vfo\\.test - migration m-1 started\\n");
        assertThat(logged("plain")).endsWith("INFO  dev.vfo.test - migration m-1 started\n");
    }

    @Test
    void jsonIsOneObjectPerLine() throws Exception {
        String out = logged("json");
        String event = out.lines().filter(l -> l.contains("migration m-1 started")).findFirst().orElseThrow();
        JsonObject json = new JsonObject(event);
        assertThat(json.getString("level")).isEqualTo("INFO");
        assertThat(json.getString("loggerName")).isEqualTo("dev.vfo.test");
        assertThat(json.getString("formattedMessage")).isEqualTo("migration m-1 started");
        assertThat(json.getJsonObject("mdc")).isNotNull();
        assertThat(json.containsKey("context")).as("the context's properties are noise in every line").isFalse();
    }
}
