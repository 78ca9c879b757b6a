package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.cli.Vfo;
import dev.vfo.schemas.codec.LogArchive;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole demo in this JVM, with options: two VMs migrated concurrently, three devices each, the
 * log exported. Its exit code is the claim under test: 0 only when both outcomes were as expected
 * and the audit passed. Nothing here is timed.
 */
class DemoCommandIT {

    @TempDir
    Path dir;

    @Test
    void migratesRollsBackAuditsAndExports() throws Exception {
        Path archive = dir.resolve("log.avro");
        StringWriter text = new StringWriter();
        CommandLine cl = Vfo.commandLine();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));

        int exit = cl.execute("demo", "--vms", "2", "--devices", "3", "--export", archive.toString(),
                "--data-dir", dir.resolve("kafka").toString());

        String out = text.toString();
        assertThat(exit).as(out).isZero();
        assertThat(out).containsPattern("vm-1 m-\\S+: SUCCEEDED").containsPattern("vm-2 m-\\S+: SUCCEEDED")
                .containsPattern("vm-faulty m-\\S+: ROLLED_BACK, .*reason: .*vm-faulty\\.d2.*RESUMING>STOP")
                .contains("verdict: OK").contains("demo passed");
        Matcher timeline = Pattern.compile("timeline: (\\S+)").matcher(out);
        assertThat(timeline.find()).isTrue();
        assertThat(Files.readString(Path.of(URI.create(timeline.group(1))))).contains("vm-faulty").contains("vm-2");
        try (InputStream in = Files.newInputStream(archive)) {
            assertThat(LogArchive.read(in)).isNotEmpty();
        }
    }
}
