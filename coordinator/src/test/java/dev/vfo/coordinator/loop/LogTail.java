package dev.vfo.coordinator.loop;

import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic's committed records from the beginning to its current end (tests' view of the log). */
final class LogTail {
    private LogTail() {}

    static List<ConsumerRecord<byte[], byte[]>> records(Map<String, Object> client, String topic) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The coordinator log's entries (partitions one after another; each partition in order). */
    static List<CoordinatorLogEntry> entries(Map<String, Object> client, String topic) {
        List<CoordinatorLogEntry> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records(client, topic)) {
            Decoded<CoordinatorLogEntry> d = LogCodec.decodeLogEntry(r.value());
            out.add(d.orElseThrow());
        }
        return out;
    }
}
