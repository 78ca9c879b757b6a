package dev.vfo.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    enum Knob implements Definition {
        PORT("VFO_X_PORT", "80"),
        GRACE("VFO_X_GRACE", "10s"),
        ON("VFO_X_ON", "false"),
        SECRET_PASSWORD("VFO_X_PASSWORD", "");

        private final Spec spec;

        Knob(String variable, String defaultValue) {
            this.spec = new Spec(variable, defaultValue, "a test setting");
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    @TempDir
    Path dir;

    @Test
    void the_environment_overrides_the_file_named_by_vfo_config_file() throws Exception {
        Path file = Files.writeString(dir.resolve("x.env"), "VFO_X_PORT=81\nVFO_X_GRACE=2m\n");
        Settings s = Settings.load(Map.of("VFO_CONFIG_FILE", file.toString(), "VFO_X_PORT", "82"), Optional.empty());
        assertThat(s.integer(Knob.PORT, 1, 65535)).isEqualTo(82);
        assertThat(s.duration(Knob.GRACE)).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.bool(Knob.ON)).isFalse();
        s.throwIfInvalid("test");
    }

    @Test
    void collects_every_problem_file_lines_included_and_masks_secrets() throws Exception {
        Path file = Files.writeString(dir.resolve("x.env"), "VFO_X_ON=yes\nnonsense\n");
        Settings s = Settings.load(Map.of("VFO_X_PORT", "eighty", "VFO_X_PASSWORD", "hunter2", "VFO_X_TYPO", "1",
                "VFO_OTHER_THING", "1"), Optional.of(file));
        s.rejectUnknown(java.util.List.of("VFO_X_"), Settings.all(Knob.class));
        assertThat(s.integer(Knob.PORT, 1, 65535)).as("the default stands in").isEqualTo(80);
        s.bool(Knob.ON);
        s.value(Knob.SECRET_PASSWORD, v -> {
            throw new IllegalArgumentException("too short");
        }, "");
        assertThatThrownBy(() -> s.throwIfInvalid("test")).isInstanceOfSatisfying(InvalidSettings.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        file + ":2: not KEY=value",
                        "VFO_X_TYPO: unknown setting",
                        "VFO_X_PORT: 'eighty' is not an integer from 1 to 65535",
                        "VFO_X_ON: 'yes' is not true or false",
                        "VFO_X_PASSWORD: '***': too short"))
                .hasMessageStartingWith("invalid test configuration:").hasMessageNotContaining("hunter2");
    }

    @Test
    void kafka_variables_pass_through_under_forced_properties() {
        KafkaPassThrough k = Settings.of(Map.of("VFO_KAFKA_BOOTSTRAP_SERVERS", "k:9093", "VFO_KAFKA_ACKS", "1",
                "VFO_KAFKA_SSL_KEY_PASSWORD", "pw", "VFO_KAFKA_LINGER_MS", "7")).kafka();
        assertThat(k.bootstrapServers()).isEqualTo("k:9093");
        assertThat(k.clientConfig(Map.of("linger.ms", 0, "retries", 3), Map.of("acks", "all")))
                .containsEntry("acks", "all").containsEntry("linger.ms", "7").containsEntry("retries", 3)
                .containsEntry("ssl.key.password", "pw");
        assertThat(k.toString()).contains("ssl.key.password=***").doesNotContain("=pw");
        assertThat(KafkaPassThrough.none().bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void an_unreadable_file_fails_at_once_naming_it() {
        assertThatThrownBy(() -> Settings.load(Map.of("VFO_CONFIG_FILE", dir.resolve("nope").toString()), Optional.empty()))
                .hasMessageContaining("VFO_CONFIG_FILE: cannot read the config file " + dir.resolve("nope"));
    }
}
