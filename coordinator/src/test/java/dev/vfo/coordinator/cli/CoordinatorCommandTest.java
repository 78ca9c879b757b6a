package dev.vfo.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CoordinatorCommandTest {

    @Test
    void anInvalidConfigurationFailsTheStartWithEveryProblemNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("coordinator.properties");
        Files.writeString(file, "VFO_HTTP_PORT=abc\nVFO_HTTP_TYPO=1\n");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CoordinatorCommand());
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--config", file.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("VFO_HTTP_PORT").contains("VFO_HTTP_TYPO");
    }
}
