package dev.vfo.audit;

import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A fresh namespace of topics on a real broker, and simulator logs written into it as the product writes them. */
record LiveTopics(KafkaBroker broker, String namespace, TopicCatalog catalog, Map<String, Object> producerConfig) {

    static LiveTopics create(String prefix) throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String ns = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TopicCatalog catalog = new TopicCatalog(ns, TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
        try (Admin admin = broker.admin()) {
            TopicCreation.ensure(admin, catalog.clusterTopics(), Duration.ofSeconds(60));
        }
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight: on topics this new, a NOT_LEADER retry behind later in-flight
        // batches ended in OUT_OF_ORDER_SEQUENCE_NUMBER, and the idempotent producer dropped the batch.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new LiveTopics(broker, ns, catalog, Map.copyOf(config));
    }

    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes {@code records} (of the default namespace) into this one, same partitions and timestamps; waits for every ack. */
    void write(List<LoggedRecord> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (LoggedRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(namespace + r.topic().substring("vfo".length()),
                        r.partition(), r.timestamp(), r.key().orElseThrow(), r.value().orElseThrow())));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(); // a send that expired on a loaded machine lost records: fail here, not as audit violations
            }
        }
    }
}
