package dev.vfo.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.HostId;
import dev.vfo.schemas.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class TopicCreationIT {

    private static TopicCatalog catalog(int partitions) {
        return new TopicCatalog("tcit" + UUID.randomUUID().toString().substring(0, 8), partitions,
                Optional.of((short) 1));
    }

    @Test
    void createsTheCatalogOnceAndAcceptsItAgain() {
        TopicCatalog catalog = catalog(4);
        List<TopicSpec> topics = new java.util.ArrayList<>(catalog.clusterTopics());
        topics.add(catalog.commands(new HostId("hv-1")));
        try (Admin admin = KafkaBroker.shared().admin()) {
            List<TopicCreation.Outcome> first = TopicCreation.ensure(admin, topics, Duration.ofSeconds(30));
            assertThat(first).extracting(TopicCreation.Outcome::status).containsOnly(TopicCreation.Status.CREATED);
            List<TopicCreation.Outcome> second = TopicCreation.ensure(admin, topics, Duration.ofSeconds(30));
            assertThat(second).hasSize(topics.size()).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(TopicCreation.Status.EXISTS);
                assertThat(o.differences()).isEmpty();
            });
            var described = admin.describeTopics(topics.stream().map(TopicSpec::name).collect(Collectors.toList()))
                    .allTopicNames().get();
            assertThat(described.get(catalog.coordinatorLog().name()).partitions()).hasSize(4);
            assertThat(described.get(catalog.deadLetters().name()).partitions()).hasSize(3);
            assertThat(described.get(catalog.commandsTopic(new HostId("hv-1"))).partitions()).hasSize(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDifferentPartitionCountIsAnErrorNamingTheTopic() {
        TopicCatalog twelve = catalog(12);
        TopicCatalog six = new TopicCatalog(twelve.deviceEvents().name().split("\\.")[0], 6, Optional.of((short) 1));
        try (Admin admin = KafkaBroker.shared().admin()) {
            TopicCreation.ensure(admin, List.of(six.deviceEvents()), Duration.ofSeconds(30));
            assertThatThrownBy(() -> TopicCreation.ensure(admin, twelve.clusterTopics(), Duration.ofSeconds(30)))
                    .isInstanceOf(TopicCreation.TopicMismatch.class)
                    .hasMessageContaining("topic " + twelve.deviceEvents().name() + " has 6 partitions, the catalog says 12");
        }
    }
}
