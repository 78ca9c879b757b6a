package dev.vfo.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.config.Backend;
import dev.vfo.core.protocol.HostId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

    @Test
    void options_override_the_environment_which_overrides_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.env");
        Files.writeString(file, "VFO_HOST_ID=from-file\nVFO_BACKEND=kernel\nVFO_HEARTBEAT_INTERVAL=3s\n"
                + "VFO_KAFKA_BOOTSTRAP_SERVERS=file:9092\n");
        RunCommand run = new RunCommand(Map.of("VFO_HOST_ID", "from-env", "VFO_KAFKA_BOOTSTRAP_SERVERS", "env:9092"));
        new CommandLine(run).parseArgs("--config", file.toString(), "--host-id", "from-option", "--backend",
                "simulated", "--state-dir", dir.resolve("state").toString());
        AgentConfig c = run.config();
        assertThat(c.hostId()).isEqualTo(new HostId("from-option"));
        assertThat(c.backend()).isEqualTo(Backend.SIMULATED);
        assertThat(c.bootstrapServers()).isEqualTo("env:9092");
        assertThat(c.heartbeatInterval()).hasSeconds(3);
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void run_is_a_subcommand_of_agent() {
        assertThat(new CommandLine(new AgentCommand()).getSubcommands()).containsKeys("devices", "run");
    }
}
