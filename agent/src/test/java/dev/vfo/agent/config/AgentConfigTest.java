package dev.vfo.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @Test
    void every_setting_has_a_default() {
        AgentConfig c = AgentConfig.from(Map.of(), new Properties());
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
    }

    @Test
    void the_environment_overrides_the_file() {
        Properties file = new Properties();
        file.setProperty("host.id", "host-a");
        file.setProperty("backend", "simulated");
        file.setProperty("heartbeat.interval", "500ms");
        file.setProperty("kafka.security.protocol", "SSL");
        Map<String, String> env = Map.of("VFO_HOST_ID", "host-b", "VFO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "VFO_STATE_DIR", "/tmp/agent-b", "HOSTNAME", "ignored-because-set",
                "VFO_KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093", "VFO_TOPIC_NAMESPACE", "stage");
        AgentConfig c = AgentConfig.from(env, file);
        assertThat(c.hostId()).isEqualTo(new HostId("host-b"));
        assertThat(c.agentId().value()).isEqualTo("host-b-agent");
        assertThat(c.backend()).isEqualTo(Backend.SIMULATED);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/agent-b"));
        assertThat(c.kafka()).containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(c.bootstrapServers()).isEqualTo("k1:9093,k2:9093");
        assertThat(c.topics().commandsTopic(c.hostId())).isEqualTo("stage.commands.host-b");
    }

    @Test
    void hostname_is_the_default_host_id() {
        assertThat(AgentConfig.from(Map.of("HOSTNAME", "node-7"), new Properties()).hostId())
                .isEqualTo(new HostId("node-7"));
    }

    @Test
    void devices_are_parsed_with_their_defaults() {
        AgentConfig c = AgentConfig.from(Map.of("VFO_DEVICES",
                "name=0000:17:00.0,vm=vm-1,model=15b3:101e,state.bytes=1073741824,residue.bytes=0,dirty.rate=5 ;"
                        + " name=gpu1,vm=vm-2"), new Properties());
        assertThat(c.devices()).containsExactly(
                new DeviceSpec("0000:17:00.0", new VmId("vm-1"), "15b3:101e", 1L << 30, 0, 5),
                new DeviceSpec("gpu1", new VmId("vm-2"), DeviceSpec.DEFAULT_MODEL, DeviceSpec.DEFAULT_STATE_BYTES,
                        DeviceSpec.DEFAULT_RESIDUE_BYTES, 0));
    }

    @Test
    void a_simulated_device_may_name_its_flags_and_arc_latency() {
        AgentConfig c = AgentConfig.from(Map.of("VFO_DEVICES",
                "name=nic0,vm=vm-1,flags=STOP_COPY|P2P,arc.latency=300ms;name=gpu0,vm=vm-1,flags=7"), new Properties());
        assertThat(c.devices()).extracting(DeviceSpec::flags).containsExactly(3L, 7L);
        assertThat(c.devices()).extracting(DeviceSpec::arcLatency)
                .containsExactly(java.time.Duration.ofMillis(300), java.time.Duration.ZERO);
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v,flags=TURBO"), new Properties()))
                .hasMessageContaining("TURBO");
    }

    @Test
    void a_bad_value_names_its_key_and_environment_variable() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_PORT", "seventy"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transfer.port")
                .hasMessageContaining("VFO_TRANSFER_PORT").hasMessageContaining("seventy");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_BACKEND", "fpga"), new Properties()))
                .hasMessageContaining("backend");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HEARTBEAT_INTERVAL", "soon"), new Properties()))
                .hasMessageContaining("heartbeat.interval").hasMessageContaining("not a duration");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a"), new Properties()))
                .hasMessageContaining("needs name= and vm=");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v,colour=red"), new Properties()))
                .hasMessageContaining("unknown device field 'colour'");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_DEVICES", "name=a,vm=v;name=a,vm=w"), new Properties()))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "host a"), new Properties()))
                .hasMessageContaining("host.id");
    }

    @Test
    void a_typo_under_the_agent_s_own_prefixes_is_an_error() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_PRT", "7000"), new Properties()))
                .hasMessageContaining("transfer.prt").hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HEARTBEAT_INTERVALL", "1s"), new Properties()))
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_CHUNK_BYTES", "12"), new Properties()))
                .hasMessageContaining("chunkBytes must be");
    }

    @Test
    void the_file_can_be_named_by_vfo_config_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "host.id=from-config-file\n");
        assertThat(AgentConfig.load(Map.of("VFO_CONFIG_FILE", file.toString()), Optional.empty()).hostId())
                .isEqualTo(new HostId("from-config-file"));
    }

    @Test
    void a_host_id_that_cannot_name_a_topic_is_refused() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "h".repeat(51)), new Properties()))
                .hasMessageContaining("at most 50");
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_HOST_ID", "rack:7"), new Properties()))
                .hasMessageContaining("cannot name a Kafka topic");
    }

    @Test
    void tls_needs_all_three_paths() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("VFO_TRANSFER_TLS_KEY", "/k.pem"), new Properties()))
                .hasMessageContaining("all of transfer.tls.key, transfer.tls.cert and transfer.tls.trust");
        AgentConfig c = AgentConfig.from(Map.of("VFO_TRANSFER_TLS_KEY", "/k.pem", "VFO_TRANSFER_TLS_CERT", "/c.pem",
                "VFO_TRANSFER_TLS_TRUST", "/t.pem"), new Properties());
        assertThat(c.transfer().tls()).get().satisfies(t -> {
            assertThat(t.keyPem()).isEqualTo(Path.of("/k.pem"));
            assertThat(t.trustPem()).isEqualTo(Path.of("/t.pem"));
        });
    }

    @Test
    void a_file_is_read_from_disk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "host.id=host-f\ntransfer.port=0\ntransfer.endpoint=10.0.0.5:7470\n");
        AgentConfig c = AgentConfig.load(Map.of(), Optional.of(file));
        assertThat(c.hostId()).isEqualTo(new HostId("host-f"));
        assertThat(c.transfer().port()).isZero();
        assertThat(AgentConfig.from(Map.of("VFO_TRANSFER_PROGRESS_BYTES", "1024", "VFO_TRANSFER_CHUNK_BYTES", "65536"),
                new Properties()).transfer()).satisfies(t -> {
                    assertThat(t.progressEveryBytes()).isEqualTo(1024);
                    assertThat(t.chunkBytes()).isEqualTo(65536);
                });
        assertThat(c.advertisedEndpoint(40000)).isEqualTo("10.0.0.5:7470");
        assertThat(AgentConfig.from(Map.of("VFO_TRANSFER_HOST", "127.0.0.1"), new Properties()).advertisedEndpoint(4000))
                .as("a specific listen address is advertised as it is").isEqualTo("127.0.0.1:4000");
        assertThatThrownBy(() -> AgentConfig.load(Map.of(), Optional.of(dir.resolve("missing"))))
                .hasMessageContaining("cannot read the config file");
    }
}
