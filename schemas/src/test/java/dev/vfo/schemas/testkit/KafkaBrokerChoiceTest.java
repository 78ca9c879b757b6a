package dev.vfo.schemas.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The mode switch: a required container that cannot run is an error, never a silent fallback. */
class KafkaBrokerChoiceTest {

    private static final String MISSING_IMAGE = "vfo/no-such-kafka-image:0";

    @Test
    void requiredContainerThatCannotRunFailsWithTheReason() {
        assertThatThrownBy(() -> new KafkaBroker.Choice("container", MISSING_IMAGE).resolve())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("vfo.kafka=container but ")
                // Whichever check fails first on this machine (environment, engine, image), it is named.
                .hasMessageMatching("(?s).*(environment lacks|no Docker engine answers|image " + MISSING_IMAGE + " is not).*");
    }

    @Test
    void autoFallsBackToEmbeddedWhenTheContainerCannotRun() {
        assertThat(new KafkaBroker.Choice("auto", MISSING_IMAGE).resolve()).isEqualTo(BrokerProcess.Kind.EMBEDDED);
    }

    @Test
    void embeddedNeedsNoDocker() {
        assertThat(new KafkaBroker.Choice("embedded", MISSING_IMAGE).resolve()).isEqualTo(BrokerProcess.Kind.EMBEDDED);
    }

    @Test
    void unknownModeIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> new KafkaBroker.Choice("docker", MISSING_IMAGE).resolve())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("container, embedded or auto");
    }
}
