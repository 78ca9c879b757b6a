package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.deadletter.RecordDecoder;
import dev.vfo.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on the live device-events topic of a real broker, dead-lettered the way every consumer
 * loop does it ({@link RecordDecoder}): the live audit (one thread and several), and the audit of
 * an export, pass and list it as quarantined; garbage written after that, which no consumer read,
 * fails the audit naming its partition and offset.
 */
class DeadLetteredTopicsIT {

    private static final byte[] GARBAGE = "not a vfo record".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void deadLetteredGarbageIsQuarantinedLiveAndFromAnExportAndUnreadGarbageIsAViolation() throws Exception {
        LiveTopics topics = LiveTopics.create("quarantine");
        String ns = topics.namespace();
        TopicCatalog catalog = topics.catalog();
        Map<String, Object> config = topics.producerConfig();
        List<SimLogs.Vm> vms = List.of(SimLogs.of(300), SimLogs.of(301), SimLogs.of(302));
        List<LoggedRecord> records = SimLogs.records(vms);
        String events = catalog.deviceEvents().name();
        topics.write(records);
        RecordMetadata garbage;
        try (KafkaProducer<byte[], byte[]> producer = topics.producer()) {
            garbage = producer.send(new ProducerRecord<>(events, TopicCatalog.key(vms.get(1).vm()), GARBAGE)).get();
        }
        try (KafkaProducer<byte[], byte[]> producer = topics.producer()) {
            RecordDecoder<AgentEvent> decoder = new RecordDecoder<>(LogCodec::decodeAgentEvent,
                    new DeadLetters(producer, catalog.deadLetters().name()));
            int decoded = consumeAll(config, events, decoder);
            decoder.awaitDeadLetters();
            assertThat(decoded).isEqualTo(records.stream().filter(r -> r.topic().endsWith("device-events")).count());
        }
        String bootstrap = topics.broker().bootstrapServers();
        String where = events + "/" + garbage.partition() + "@" + garbage.offset();

        for (String threads : List.of("1", "2")) {
            AuditRun live = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns,
                    "--threads", threads);
            assertThat(live.exitCode()).as(live.out() + live.err()).isZero();
            assertThat(live.out()).contains("dead letters: 1").contains("quarantined: 1")
                    .contains(where + " vm=" + vms.get(1).vm() + " dead-lettered at " + catalog.deadLetters().name())
                    .contains("verdict: OK, every rule holds");
        }

        Path file = dir.resolve("log.avro");
        AuditRun export = AuditRun.of("audit", "export", "--bootstrap-servers", bootstrap, "--namespace", ns, "--out",
                file.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        AuditRun fromFile = AuditRun.of("audit", "verify", "--file", file.toString(), "--namespace", ns, "--json");
        assertThat(fromFile.exitCode()).as(fromFile.out() + fromFile.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(fromFile.out());
        assertThat(doc.get("quarantinedCount").asLong()).isEqualTo(1);
        assertThat(doc.get("quarantined").get(0).get("record").get("offset").asLong()).isEqualTo(garbage.offset());

        RecordMetadata unread;
        try (KafkaProducer<byte[], byte[]> producer = topics.producer()) {
            unread = producer.send(new ProducerRecord<>(events, TopicCatalog.key(vms.get(2).vm()), GARBAGE)).get();
        }
        AuditRun after = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns);
        assertThat(after.exitCode()).as(after.out()).isEqualTo(1);
        assertThat(after.out()).contains("quarantined: 1").contains("UNDECODABLE_RECORD vm=" + vms.get(2).vm() + " at "
                + events + "/" + unread.partition() + "@" + unread.offset()).contains("was not dead-lettered");
    }

    /** Reads every partition of {@code topic} to its end through {@code decoder}; returns how many decoded. */
    private static int consumeAll(Map<String, Object> config, String topic, RecordDecoder<AgentEvent> decoder) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            int decoded = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topic + " to its end").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    decoded += decoder.decode(r).isPresent() ? 1 : 0;
                }
            }
            return decoded;
        }
    }
}
