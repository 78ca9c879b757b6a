package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the device-events topic from the start, as the coordinator would; polled by the test thread. */
final class EventTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<AgentEvent> events = new ArrayList<>();

    EventTail(Map<String, Object> clientConfig, String topic, int partitions) {
        Map<String, Object> c = new java.util.HashMap<>(clientConfig);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    /** Polls once and returns everything read so far. */
    List<AgentEvent> poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            events.add(LogCodec.decodeAgentEvent(r.value()).orElseThrow());
        }
        return List.copyOf(events);
    }

    <T extends AgentEvent> List<T> of(Class<T> type, Predicate<T> which) {
        return poll().stream().filter(type::isInstance).map(type::cast).filter(which).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
