package dev.vfo.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.settings.InvalidSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @Test
    void every_setting_has_a_default() {
        AgentConfig c = AgentConfig.from(Map.of());
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.hostId()).isEqualTo(new HostId("localhost"));
        assertThat(c.agentId().value()).isEqualTo("localhost-agent");
        assertThat(c.backend()).isEqualTo(Backend.KERNEL);
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/vfo-agent"));
        assertThat(c.devices()).isEmpty();
        assertThat(c.transfer().port()).isEqualTo(7070);
        assertThat(c.topicPartitions()).isEqualTo(12);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.transfer().tls()).isEmpty();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.kafka()).isEmpty();
        assertThat(c.advertisedEndpoint(7070)).isEqualTo("localhost:7070");
        assertThat(c.topics().commandsTopic(c.hostId())).isEqualTo("vfo.commands.localhost");
        for (AgentSetting s : AgentSetting.values()) {
            assertThat(s.variable()).startsWith("VFO_");
            assertThat(s.description()).isNotBlank();
        }
    }

    @Test
    void every_setting_is_in_the_configuration_reference() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (AgentSetting s : AgentSetting.values()) {
            assertThat(doc).as(s.variable() + " in docs/configuration.md").contains("`" + s.variable() + "`");
        }
    }

    @Test
    void the_environment_overrides_the_file(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("agent.env"), """
                # as systemd's EnvironmentFile= reads it
                VFO_HOST_ID=host-a
                VFO_BACKEND="simulated"
                VFO_HEARTBEAT_INTERVAL=500ms
                ; another comment style systemd accepts
                VFO_KAFKA_SECURITY_PROTOCOL=SSL
                """);
        Map<String, String> env = Map.of("VFO_HOST_ID", "host-b", "VFO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "VFO_STATE_DIR", "/tmp/agent-b", "HOSTNAME", "ignored-because-set",
                "VFO_KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093", "VFO_TOPIC_NAMESPACE", "stage");
        AgentConfig c = AgentConfig.load(env, Optional.of(file));
        assertThat(c.hostId()).isEqualTo(new HostId("host-b"));
        assertThat(c.agentId().value()).isEqualTo("host-b-agent");
        assertThat(c.backend()).isEqualTo(Backend.SIMULATED);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/agent-b"));
        assertThat(c.kafka()).containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(c.bootstrapServers()).isEqualTo("k1:9093,k2:9093");
        assertThat(c.topics().commandsTopic(c.hostId())).isEqualTo("stage.commands.host-b");
        assertThat(AgentConfig.from(Map.of("VFO_KAFKA_SSL_KEYSTORE_PASSWORD", "hunter2")).toString())
                .contains("ssl.keystore.password=***").doesNotContain("hunter2");
    }

    @Test
    void hostname_is_the_default_host_id() {
        assertThat(AgentConfig.from(Map.of("HOSTNAME", "node-7")).hostId()).isEqualTo(new HostId("node-7"));
    }

    @Test
    void devices_are_parsed_with_their_defaults() {
        AgentConfig c = AgentConfig.from(Map.of("VFO_DEVICES",
                "name=0000:17:00.0,vm=vm-1,model=15b3:101e,state.bytes=1073741824,residue.bytes=0,dirty.rate=5 ;"
                        + " name=gpu1,vm=vm-2"));
        assertThat(c.devices()).containsExactly(
                new DeviceSpec("0000:17:00.0", new VmId("vm-1"), "15b3:101e", 1L << 30, 0, 5),
                new DeviceSpec("gpu1", new VmId("vm-2"), DeviceSpec.DEFAULT_MODEL, DeviceSpec.DEFAULT_STATE_BYTES,
                        DeviceSpec.DEFAULT_RESIDUE_BYTES, 0));
    }

    @Test
    void a_simulated_device_may_name_its_flags_and_arc_latency() {
        AgentConfig c = AgentConfig.from(Map.of("VFO_DEVICES",
                "name=nic0,vm=vm-1,flags=STOP_COPY|P2P,arc.latency=300ms;name=gpu0,vm=vm-1,flags=7"));
        assertThat(c.devices()).extracting(DeviceSpec::flags).containsExactly(3L, 7L);
        assertThat(c.devices()).extracting(DeviceSpec::arcLatency)
                .containsExactly(java.time.Duration.ofMillis(300), java.time.Duration.ZERO);
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v,flags=TURBO")))
                .hasMessageContaining("TURBO");
    }

    @Test
    void a_bad_value_names_its_variable_and_the_value() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_PORT", "seventy")))
                .isInstanceOf(InvalidSettings.class).hasMessageContaining("VFO_TRANSFER_PORT: 'seventy'");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_BACKEND", "fpga")))
                .hasMessageContaining("VFO_BACKEND: 'fpga' is not one of [kernel, simulated]");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HEARTBEAT_INTERVAL", "soon")))
                .hasMessageContaining("VFO_HEARTBEAT_INTERVAL").hasMessageContaining("not a positive duration");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a")))
                .hasMessageContaining("needs name= and vm=");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v,colour=red")))
                .hasMessageContaining("unknown device field 'colour'");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v;name=a,vm=w")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "host a")))
                .hasMessageContaining("VFO_HOST_ID");
    }

    @Test
    void every_problem_is_reported_at_once() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_PORT", "seventy", "VFO_BACKEND", "fpga",
                "VFO_SHUTDOWN_GRACE_MS", "-1", "VFO_TRANSFER_PRT", "7000")))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).hasSize(4))
                .hasMessageContaining("VFO_TRANSFER_PORT").hasMessageContaining("VFO_BACKEND")
                .hasMessageContaining("VFO_SHUTDOWN_GRACE_MS").hasMessageContaining("VFO_TRANSFER_PRT: unknown setting");
    }

    @Test
    void a_typo_under_the_agent_s_own_prefixes_is_an_error() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_PRT", "7000")))
                .hasMessageContaining("VFO_TRANSFER_PRT: unknown setting");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HEARTBEAT_INTERVALL", "1s")))
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_CHUNK_BYTES", "12")))
                .hasMessageContaining("chunkBytes must be");
        assertThat(AgentConfig.from(Map.of("VFO_HTTP_PORT", "1", "VFO_LOG_FORMAT", "json")).hostId())
                .as("another process's variables are not the agent's business").isEqualTo(new HostId("localhost"));
    }

    @Test
    void the_file_can_be_named_by_vfo_config_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.env");
        Files.writeString(file, "VFO_HOST_ID=from-config-file\n");
        assertThat(AgentConfig.load(Map.of("VFO_CONFIG_FILE", file.toString()), Optional.empty()).hostId())
                .isEqualTo(new HostId("from-config-file"));
    }

    @Test
    void a_bad_line_of_the_file_is_reported_with_its_number(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("agent.env"), "VFO_HOST_ID=h1\nhost.id=h2\nexport VFO_BACKEND=simulated\n");
        assertThatThrownBy(() -> AgentConfig.load(Map.of(), Optional.of(file)))
                .hasMessageContaining(file + ":2: 'host.id' is not a variable name")
                .hasMessageContaining(file + ":3: 'export' is shell syntax");
    }

    @Test
    void a_host_id_that_cannot_name_a_topic_is_refused() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "h".repeat(51))))
                .hasMessageContaining("at most 50");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "rack:7")))
                .hasMessageContaining("cannot name a Kafka topic");
    }

    @Test
    void tls_needs_all_three_paths() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_TLS_KEY", "/k.pem")))
                .hasMessageContaining("all of VFO_TRANSFER_TLS_KEY, VFO_TRANSFER_TLS_CERT and VFO_TRANSFER_TLS_TRUST");
        AgentConfig c = AgentConfig.from(Map.of("VFO_TRANSFER_TLS_KEY", "/k.pem", "VFO_TRANSFER_TLS_CERT", "/c.pem",
                "VFO_TRANSFER_TLS_TRUST", "/t.pem"));
        assertThat(c.transfer().tls()).get().satisfies(t -> {
            assertThat(t.keyPem()).isEqualTo(Path.of("/k.pem"));
            assertThat(t.trustPem()).isEqualTo(Path.of("/t.pem"));
        });
    }

    @Test
    void a_file_is_read_from_disk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.env");
        Files.writeString(file, "VFO_HOST_ID=host-f\nVFO_TRANSFER_PORT=0\nVFO_TRANSFER_ENDPOINT=10.0.0.5:7470\n");
        AgentConfig c = AgentConfig.load(Map.of(), Optional.of(file));
        assertThat(c.hostId()).isEqualTo(new HostId("host-f"));
        assertThat(c.transfer().port()).isZero();
        assertThat(AgentConfig.from(Map.of("VFO_TRANSFER_PROGRESS_BYTES", "1024", "VFO_TRANSFER_CHUNK_BYTES", "65536"))
                .transfer()).satisfies(t -> {
                    assertThat(t.progressEveryBytes()).isEqualTo(1024);
                    assertThat(t.chunkBytes()).isEqualTo(65536);
                });
        assertThat(c.advertisedEndpoint(40000)).isEqualTo("10.0.0.5:7470");
        assertThat(AgentConfig.from(Map.of("VFO_TRANSFER_HOST", "127.0.0.1")).advertisedEndpoint(4000))
                .as("a specific listen address is advertised as it is").isEqualTo("127.0.0.1:4000");
        assertThatThrownBy(() -> AgentConfig.load(Map.of(), Optional.of(dir.resolve("missing"))))
                .hasMessageContaining("VFO_CONFIG_FILE: cannot read the config file");
    }
}
