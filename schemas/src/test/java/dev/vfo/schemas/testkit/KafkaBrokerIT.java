package dev.vfo.schemas.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The harness gives a broker that does what vfo relies on, in whichever mode {@code vfo.kafka}
 * selects: transactions read with {@code read_committed} by a KIP-848 consumer group, and a
 * restart that keeps ports and data.
 */
class KafkaBrokerIT {

    @Test
    void readCommittedConsumerGroupSeesCommittedTransactionsOnly() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String topic = KafkaBroker.uniqueTopic("tx");
        broker.createTopics(2, topic);

        try (KafkaProducer<String, String> producer = transactionalProducer(broker, "tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "vm-1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "vm-2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "vm-1", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "vm-3", "committed-3"));
            producer.commitTransaction();
        }

        String group = KafkaBroker.uniqueTopic("group");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(broker, group)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // Poll a little past the last committed record: an aborted one must never appear.
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            consumer.commitSync();
        }
        assertThat(values).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");

        try (Admin admin = broker.admin()) {
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).type())
                    .as("the group runs the KIP-848 consumer protocol")
                    .isEqualTo(GroupType.CONSUMER);
        }
    }

    @Test
    void restartKeepsPortsAndData() throws Exception {
        try (KafkaBroker broker = KafkaBroker.dedicated()) {
            String topic = KafkaBroker.uniqueTopic("restart");
            broker.createTopics(1, topic);
            String bootstrap = broker.bootstrapServers();
            try (KafkaProducer<String, String> producer = transactionalProducer(broker, "tx-" + topic)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "vm-1", "before-restart"));
                producer.commitTransaction();
            }

            broker.stop();
            assertThatThrownBy(() -> listTopicsQuickly(broker))
                    .as("a stopped broker does not answer")
                    .isInstanceOf(ExecutionException.class);
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(broker, KafkaBroker.uniqueTopic("group"))) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                }
            }
            assertThat(values).containsExactly("before-restart");
        }
    }

    @Test
    void sharedBrokerCannotBeStoppedByOneTest() {
        assertThatThrownBy(() -> KafkaBroker.shared().stop())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dedicated");
    }

    private static void listTopicsQuickly(KafkaBroker broker) throws Exception {
        Map<String, Object> config = broker.clientConfig();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            admin.listTopics().names().get();
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker broker, String transactionalId) {
        Map<String, Object> config = broker.clientConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker, String group) {
        Map<String, Object> config = broker.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
