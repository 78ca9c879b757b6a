package dev.vfo.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.coordinator.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorConfigTest {
    private static final String TOKEN = "op-token-abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    @Test
    void every_setting_has_a_default() {
        CoordinatorConfig c = CoordinatorConfig.defaults();

        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().bodyLimitBytes()).isEqualTo(65536);
        assertThat(c.http().tls()).isEmpty();
        assertThat(c.http().sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.http().sseMaxPendingEvents()).isEqualTo(1024);
        assertThat(c.api().tokens().isEmpty()).isTrue();
        assertThat(c.api().createRatePerMinute()).isEqualTo(30.0);
        assertThat(c.api().createBurst()).isEqualTo(10);
        assertThat(c.api().metricsPublic()).isFalse();
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().instanceId()).isEqualTo("coordinator-1");
        assertThat(c.logFormat()).isEqualTo(LogFormat.PLAIN);
        for (Setting s : Setting.values()) {
            assertThat(s.variable()).startsWith("VFO_");
            assertThat(s.description()).isNotBlank();
        }
    }

    @Test
    void every_setting_is_in_the_configuration_reference() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Setting s : Setting.values()) {
            assertThat(doc).as(s.variable() + " in docs/configuration.md").contains("`" + s.variable() + "`");
        }
    }

    @Test
    void reads_typed_values_and_passes_kafka_properties_through() {
        CoordinatorConfig c = CoordinatorConfig.from(Map.of(
                "VFO_HTTP_HOST", "0.0.0.0",
                "VFO_HTTP_PORT", "9443",
                "VFO_API_CREATE_RATE_PER_MINUTE", "0.5",
                "VFO_METRICS_PUBLIC", "TRUE",
                "VFO_LOG_FORMAT", "json",
                "VFO_KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093",
                "VFO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "VFO_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"s3cret\";",
                "VFO_INSTANCE_ID", "coord-b",
                "PATH", "/usr/bin"));

        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().port()).isEqualTo(9443);
        assertThat(c.api().createRatePerMinute()).isEqualTo(0.5);
        assertThat(c.api().metricsPublic()).isTrue();
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.kafka().instanceId()).isEqualTo("coord-b");
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k1:9093,k2:9093");
        assertThat(c.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config").hasSize(3);
        assertThat(c.toString()).contains("security.protocol=SASL_SSL").doesNotContain("s3cret");
    }

    @Test
    void the_environment_overrides_the_file() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# issued 2026-11\nalice:operator:" + TOKEN + "\n");
        Path file = dir.resolve("coordinator.env");
        Files.writeString(file, """
                VFO_HTTP_PORT=9000
                VFO_HTTP_HOST="10.0.0.5"
                VFO_API_TOKEN_FILE=%s
                VFO_KAFKA_BOOTSTRAP_SERVERS=from-file:9092
                """.formatted(tokens));

        CoordinatorConfig c = CoordinatorConfig.load(Map.of(
                "VFO_CONFIG_FILE", file.toString(),
                "VFO_HTTP_PORT", "9100",
                "VFO_API_TOKENS", "carol:viewer:view-token-abcdefghijklmnopqrstuvwxyz"));

        assertThat(c.http().port()).isEqualTo(9100);
        assertThat(c.http().host()).isEqualTo("10.0.0.5");
        assertThat(c.kafka().bootstrapServers()).isEqualTo("from-file:9092");
        assertThat(c.api().tokens().size()).isEqualTo(2);
        assertThat(c.api().tokens().authenticate(TOKEN).orElseThrow().role()).isEqualTo(Role.OPERATOR);
        assertThat(c.toString()).doesNotContain(TOKEN);
    }

    @Test
    void reports_every_bad_setting_at_once() {
        assertThatThrownBy(() -> CoordinatorConfig.from(Map.of(
                "VFO_HTTP_PORT", "http",
                "VFO_HTTP_BODY_LIMIT_BYTES", "-1",
                "VFO_METRICS_PUBLIC", "yes",
                "VFO_LOG_FORMAT", "xml",
                "VFO_HTTP_PROT", "1",
                "VFO_API_TOKENS", "alice:root:" + TOKEN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VFO_HTTP_PORT: 'http' is not an integer from 0 to 65535")
                .hasMessageContaining("VFO_HTTP_BODY_LIMIT_BYTES: '-1'")
                .hasMessageContaining("VFO_METRICS_PUBLIC: 'yes' is not true or false")
                .hasMessageContaining("VFO_LOG_FORMAT: 'xml' is not one of [plain, json]")
                .hasMessageContaining("VFO_HTTP_PROT: unknown setting")
                .hasMessageContaining("unknown role 'root'")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void reads_the_topic_catalog_from_the_same_variables_as_the_agent() {
        CoordinatorConfig c = CoordinatorConfig.from(Map.of("VFO_TOPIC_NAMESPACE", "site-b", "VFO_TOPIC_PARTITIONS", "48"));

        assertThat(c.topics().vmPartitions()).isEqualTo(48);
        assertThat(c.topics().deviceEvents().name()).startsWith("site-b.");
        assertThat(CoordinatorConfig.defaults().topics().deviceEvents().name()).startsWith("vfo.");
        assertThatThrownBy(() -> CoordinatorConfig.from(Map.of("VFO_TOPIC_NAMESPACE", "no spaces", "VFO_TOPIC_PARTITIONS", "0")))
                .hasMessageContaining("VFO_TOPIC_NAMESPACE: 'no spaces'")
                .hasMessageContaining("VFO_TOPIC_PARTITIONS: '0'");
    }

    @Test
    void tls_needs_certificate_and_key_together_and_client_ca_needs_tls() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "cert");
        Path key = Files.writeString(dir.resolve("k.pem"), "key");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");

        TlsSettings tls = CoordinatorConfig.from(Map.of("VFO_HTTP_TLS_CERT", cert.toString(), "VFO_HTTP_TLS_KEY",
                key.toString(), "VFO_HTTP_TLS_CLIENT_CA", ca.toString())).http().tls().orElseThrow();
        assertThat(tls.certificate()).isEqualTo(cert);
        assertThat(tls.requiresClientCertificate()).isTrue();

        assertThatThrownBy(() -> CoordinatorConfig.from(Map.of("VFO_HTTP_TLS_CERT", cert.toString())))
                .hasMessageContaining("must be set together");
        assertThatThrownBy(() -> CoordinatorConfig.from(Map.of("VFO_HTTP_TLS_CLIENT_CA", ca.toString())))
                .hasMessageContaining("VFO_HTTP_TLS_CLIENT_CA needs TLS");
        assertThatThrownBy(() -> CoordinatorConfig.from(Map.of("VFO_HTTP_TLS_CERT", dir.resolve("missing.pem").toString(),
                "VFO_HTTP_TLS_KEY", key.toString()))).hasMessageContaining("VFO_HTTP_TLS_CERT: cannot read");
    }

    @Test
    void an_unreadable_config_file_is_named() {
        assertThatThrownBy(() -> CoordinatorConfig.load(Map.of("VFO_CONFIG_FILE", dir.resolve("nope.env").toString())))
                .hasMessageContaining("VFO_CONFIG_FILE: cannot read");
    }
}
