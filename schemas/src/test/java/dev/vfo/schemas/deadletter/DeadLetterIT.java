package dev.vfo.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.Failure;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.Samples;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: good events and garbage interleaved on the event topic; the consumer loop
 * decodes every good one, dead-letters every bad one with identical bytes and its reason, and loses
 * nothing.
 */
class DeadLetterIT {

    /** {@code expected}: the reasons the record may be refused for (empty: any reason, for random noise). */
    private record Sent(byte[] key, byte[] value, java.util.Set<Failure.Reason> expected) {}

    @Test
    void garbageIsDeadLetteredWithItsBytesAndNothingIsLost() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        TopicCatalog catalog = new TopicCatalog("dlit" + UUID.randomUUID().toString().substring(0, 8), 3,
                Optional.of((short) 1));
        try (var admin = broker.admin()) {
            TopicCreation.ensure(admin, List.of(catalog.deviceEvents(), catalog.deadLetters()), Duration.ofSeconds(30));
        }
        String events = catalog.deviceEvents().name();

        List<AgentEvent> good = Samples.events().sampleStream().limit(60).toList();
        byte[] valid = LogCodec.encode(Samples.deviceRegistered());
        Random random = new Random(42);
        List<Sent> garbage = new ArrayList<>();
        garbage.add(new Sent(key("vm-a"), "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8),
                java.util.Set.of(Failure.Reason.WRONG_MARKER)));
        garbage.add(new Sent(key("vm-a"), Arrays.copyOf(valid, valid.length / 2), java.util.Set.of(Failure.Reason.TRUNCATED, Failure.Reason.INVALID_LENGTH)));
        byte[] unknown = valid.clone();
        unknown[9] ^= 0x11;
        garbage.add(new Sent(key("vm-b"), unknown, java.util.Set.of(Failure.Reason.UNKNOWN_FINGERPRINT)));
        garbage.add(new Sent(key("vm-b"), Arrays.copyOf(valid, valid.length + 3), java.util.Set.of(Failure.Reason.TRAILING_BYTES)));
        garbage.add(new Sent(key("vm-c"), LogCodec.encode(Samples.transitionDevice()),
                java.util.Set.of(Failure.Reason.UNEXPECTED_TYPE)));
        garbage.add(new Sent(key("vm-c"), null, java.util.Set.of(Failure.Reason.EMPTY)));
        garbage.add(new Sent(null, new byte[0], java.util.Set.of(Failure.Reason.EMPTY)));
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            garbage.add(new Sent(key("vm-r" + i), noise, java.util.Set.of()));
        }

        // Interleave: a few good records, then one bad one, across keys and partitions.
        List<Sent> all = new ArrayList<>();
        int g = 0;
        for (Sent bad : garbage) {
            for (int k = 0; k < 2 && g < good.size(); k++, g++) {
                all.add(new Sent(key(good.get(g).vm().value()), LogCodec.encode(good.get(g)), java.util.Set.of()));
            }
            all.add(bad);
        }
        while (g < good.size()) {
            all.add(new Sent(key(good.get(g).vm().value()), LogCodec.encode(good.get(g)), java.util.Set.of()));
            g++;
        }

        Map<String, Sent> badByPosition = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (Sent s : all) {
                RecordMetadata m = producer.send(new ProducerRecord<>(events, s.key, s.value)).get();
                if (garbage.contains(s)) {
                    badByPosition.put(m.partition() + "@" + m.offset(), s);
                }
            }
        }
        assertThat(badByPosition).hasSize(garbage.size());

        // The consumer loop under test.
        List<AgentEvent> decoded = new ArrayList<>();
        int consumed = 0;
        try (KafkaProducer<byte[], byte[]> dlqProducer = producer(broker);
                KafkaConsumer<byte[], byte[]> consumer = consumer(broker)) {
            RecordDecoder<AgentEvent> decoder = new RecordDecoder<>(LogCodec::decodeAgentEvent,
                    new DeadLetters(dlqProducer, catalog.deadLetters().name()));
            consumer.subscribe(List.of(events));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumed < all.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    consumed++;
                    decoder.decode(r).ifPresent(decoded::add);
                }
                decoder.awaitDeadLetters();
                consumer.commitSync();
            }
        }
        assertThat(consumed).isEqualTo(all.size());
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(good);
        // Per VM, the loop sees events in the order they were written.
        Map<String, List<AgentEvent>> sentPerVm = new LinkedHashMap<>();
        good.forEach(e -> sentPerVm.computeIfAbsent(e.vm().value(), v -> new ArrayList<>()).add(e));
        Map<String, List<AgentEvent>> gotPerVm = new LinkedHashMap<>();
        decoded.forEach(e -> gotPerVm.computeIfAbsent(e.vm().value(), v -> new ArrayList<>()).add(e));
        assertThat(gotPerVm).isEqualTo(sentPerVm);

        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = consumer(broker)) {
            dlq.subscribe(List.of(catalog.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < garbage.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    letters.add(DeadLetters.read(r).orElseThrow());
                }
            }
        }
        assertThat(letters).hasSize(garbage.size());
        for (DeadLetter letter : letters) {
            assertThat(letter.topic()).isEqualTo(events);
            Sent original = badByPosition.get(letter.partition() + "@" + letter.offset());
            assertThat(original).as("letter for %d@%d", letter.partition(), letter.offset()).isNotNull();
            assertThat(letter.value().orElse(null)).isEqualTo(original.value);
            assertThat(letter.key().orElse(null)).isEqualTo(original.key);
            assertThat(letter.timestamp()).isPositive();
            assertThat(letter.detail()).isNotBlank();
            if (!original.expected.isEmpty()) {
                assertThat(letter.reason()).isIn(original.expected);
            }
        }
        assertThat(decoded.size() + letters.size()).as("nothing lost").isEqualTo(all.size());
    }

    private static byte[] key(String vm) {
        return vm.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        return new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
        Map<String, Object> config = broker.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueTopic("dlit-group"));
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
