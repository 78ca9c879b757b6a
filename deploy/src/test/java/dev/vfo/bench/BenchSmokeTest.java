package dev.vfo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.cli.Vfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole suite in its tiny budget through the CLI (embedded broker, JMH in this JVM) and
 * checks the outputs' shape: every section is in bench.json with rows with numbers, the end-to-end
 * sections through the product's coordinator. No timing is asserted.
 */
class BenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theTinyRunWritesEverySectionWithNumbersOrAReason() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(md, "# Benchmarks\n\nhand-written intro\n\n" + Report.BEGIN + "\nold\n" + Report.END
                + "\n\nhand-written outro\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Vfo.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("bench",
                "--tiny", "--out", dir.toString(), "--markdown", md.toString());

        assertThat(exit).as(out + "\n" + err).isZero();
        String json = Files.readString(dir.resolve("bench.json"), StandardCharsets.UTF_8);
        for (String section : List.of("1", "2", "3", "4", "5", "6")) {
            assertThat(json).contains("{\"section\": \"" + section + "\"");
        }
        for (String section : List.of("1", "2", "3", "4", "5", "6")) {
            List<String> rows = rows(json, section);
            assertThat(rows).as("section " + section).isNotEmpty();
            assertThat(rows.stream().filter(r -> r.contains("\"status\": \"measured\"")))
                    .as("measured rows of section " + section).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).containsPattern("\"values\": \\{\"[a-z_0-9]+\": [0-9]"));
        }
        assertThat(rows(json, "1")).anySatisfy(r -> assertThat(r).contains("transactional").contains("\"p99_ms\""));
        assertThat(rows(json, "6")).anySatisfy(r -> assertThat(r).contains("\"bytes_per_migration\""))
                .anySatisfy(r -> assertThat(r).contains("barrierReportReleasing").contains("\"ops_per_s\""))
                .anySatisfy(r -> assertThat(r).contains("decodeDeviceStateChanged").contains("\"ns_per_op\""))
                .anySatisfy(r -> assertThat(r).contains("auditEveryRecord").contains("\"records_per_s\""));
        // Sections 2 to 4 run through the product's coordinator over Kafka, with the suite's agents.
        assertThat(rows(json, "2")).hasSize(4).allSatisfy(r -> assertThat(r)
                .contains("\"status\": \"measured\"").contains("\"p99_ratio_to_raw_tx\""));
        assertThat(rows(json, "3")).anySatisfy(r -> assertThat(r).contains("over Kafka").contains("\"quiesce_ms\""));
        assertThat(rows(json, "4")).anySatisfy(r -> assertThat(r).contains("over Kafka")
                .contains("\"max_consumer_lag\"").contains("\"migrations_completed\": 10"));
        assertThat(rows(json, "3")).anySatisfy(r -> assertThat(r).contains("\"quiesce_us\""));
        assertThat(rows(json, "4")).anySatisfy(r -> assertThat(r).contains("ceiling").contains("\"events_per_s\""));
        assertThat(rows(json, "5")).anySatisfy(r -> assertThat(r).contains("audit replay")
                .contains("\"status\": \"measured\"").contains("\"ratio_to_raw\"").contains("\"violations_found\""));
        assertThat(rows(json, "5")).anySatisfy(r -> assertThat(r).contains("decoded and verified on one core")
                .contains("\"status\": \"measured\"").contains("\"cpu_events_per_s\"")
                .contains("\"violations_found\": 0").contains("\"target\""));

        String text = Files.readString(md);
        assertThat(text).startsWith("# Benchmarks\n\nhand-written intro\n\n" + Report.BEGIN)
                .endsWith(Report.END + "\n\nhand-written outro\n").doesNotContain("\nold\n")
                .contains("### Machine").contains("deploy/bin/vfo bench --tiny");
        assertThat(out.toString()).contains("raw round trip").contains("wrote ");
    }

    /** The row objects of one section of bench.json. */
    private static List<String> rows(String json, String section) {
        int start = json.indexOf("{\"section\": \"" + section + "\"");
        int end = json.indexOf("{\"section\": ", start + 1);
        String block = json.substring(start, end < 0 ? json.length() : end);
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\"name\": .*").matcher(block);
        while (m.find()) {
            rows.add(m.group());
        }
        return rows;
    }
}
