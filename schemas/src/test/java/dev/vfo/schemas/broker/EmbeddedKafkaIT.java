package dev.vfo.schemas.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** EmbeddedKafka in itself (the harness tests cover transactions and restarts through it). */
class EmbeddedKafkaIT {

    @Test
    void givenDirectoryOutlivesTheBrokerAndComesBackOnOtherPorts(@TempDir Path dir) throws Exception {
        String first;
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(EmbeddedKafka.Settings.defaults().withDirectory(dir))) {
            first = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", first))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
        }
        assertThat(dir.resolve("log").resolve("meta.properties")).exists();

        // Static voters keep ports out of the formatted metadata, so new free ports work.
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(EmbeddedKafka.Settings.defaults().withDirectory(dir))) {
            assertThat(kafka.bootstrapServers()).isNotEqualTo(first);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("kept");
            }
        }
    }

    @Test
    void temporaryDirectoryIsDeletedOnClose() {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.launch()) {
            dir = kafka.directory();
            assertThat(kafka.running()).isTrue();
            assertThat(Files.isDirectory(dir)).isTrue();
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void brokerRunsWithoutLog4jCoreAndLogsThroughLogbackAtWarn() throws Exception {
        assertThatThrownBy(() -> Class.forName("org.apache.logging.log4j.core.LoggerContext"))
                .as("log4j-core is excluded from the build")
                .isInstanceOf(ClassNotFoundException.class);
        try (EmbeddedKafka kafka = EmbeddedKafka.launch();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource loggers = new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1");
            // Kafka's LoggingController fell back to its no-op delegate: no loggers, no failure.
            assertThat(admin.describeConfigs(List.of(loggers)).all().get().get(loggers).entries()).isEmpty();
        }
        // Not configured in logback-test.xml, so this is EmbeddedKafka's default.
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(logback.getLogger("state.change.logger").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void settingsRefuseOnePortForBothListeners() {
        assertThatThrownBy(() -> EmbeddedKafka.Settings.defaults().withPorts(9092, 9092))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
