package dev.vfo.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients configured as the control plane's are: producers with {@code acks=all},
 * idempotence on and {@code linger.ms=0} (Kafka 4 defaults to 5 ms, which would add up to 5 ms to
 * every hop of the barrier), consumers in {@code read_committed} (the coordinator's commands are
 * transactional). The raw floor is only a fair floor if it pays what the product pays.
 *
 * <p>Checked against the product's loops: the agent's ({@code AgentLoop}, {@code KafkaEventSink})
 * are these. The coordinator ({@code CoordinatorNode}) consumes with max.poll.records=200 in its
 * group and produces transactionally with Kafka's default linger.ms (5 ms; its commit flushes, so
 * the linger does not add to a transaction); sections 2 to 4 run the coordinator as the product
 * configures it.
 */
public final class ControlPlaneClients {

    private ControlPlaneClients() {}

    public static Map<String, Object> producerSettings(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return c;
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(producerSettings(bootstrap));
    }

    /** A transactional producer, transactions initialised. */
    public static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrap, String transactionalId) {
        Map<String, Object> c = producerSettings(bootstrap);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c);
        p.initTransactions();
        return p;
    }

    /**
     * Settings for loading a topic fast (setup, not measured). One request in flight per
     * connection: with more, a retried first batch (leadership still settling on a new topic) was
     * seen to fail later batches with OUT_OF_ORDER_SEQUENCE_NUMBER, and records went missing.
     */
    public static KafkaProducer<byte[], byte[]> bulkProducer(String bootstrap) {
        Map<String, Object> c = producerSettings(bootstrap);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return new KafkaProducer<>(c);
    }

    /** A read_committed consumer without a group: callers assign partitions, so no rebalance is timed. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(consumerSettings(bootstrap));
    }

    /**
     * The same with a group id, still assigned (no membership, no rebalance): only so its offsets
     * can be committed in a transaction, as an exactly-once loop does.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Map<String, Object> c = consumerSettings(bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return new KafkaConsumer<>(c);
    }

    private static Map<String, Object> consumerSettings(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return c;
    }
}
