package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Agent events to {@code <ns>.device-events}: key = VM id, value = LogCodec bytes, through an
 * idempotent producer (acks=all), so a retried send never duplicates or reorders a VM's events
 * within the producer's session.
 */
public final class KafkaEventSink implements EventSink {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public KafkaEventSink(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * The agent's producer: pass-through settings first (TLS, SASL), then the ones the agent's
     * guarantees depend on, which a pass-through cannot weaken.
     */
    public static Producer<byte[], byte[]> producer(String bootstrap, Map<String, String> passThrough, String clientId) {
        Map<String, Object> c = new java.util.HashMap<>(passThrough);
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized void send(AgentEvent event) {
        pending.add(producer.send(new ProducerRecord<>(topic, TopicCatalog.key(event.vm()), LogCodec.encode(event))));
    }

    @Override
    public synchronized void flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge events", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take an agent event: " + e.getCause(), e.getCause());
        } finally {
            pending.removeIf(Future::isDone);
        }
    }
}
