package dev.vfo.bench;

import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Section 1: the floor Kafka itself sets. One message at a time (the barrier is one message at a
 * time too), timed from just before {@code send} to the moment a {@code read_committed} consumer
 * polled it; payload = an encoded DeviceStateChanged. Four variants:
 *
 * <ul>
 *   <li>idempotent: an agent's event hop (acks=all, idempotence, linger 0);
 *   <li>transactional: a coordinator command hop (begin, send, commit per message), the fair floor
 *       for the STOP_COPY side of the barrier;
 *   <li>relay: event hop, then a relay that consumes it and produces it transactionally, then the
 *       consumer: the whole barrier path with zero decision time, the floor for section 2;
 *   <li>exactly-once relay: the same relay also commits its consumed offset in the transaction
 *       ({@code sendOffsetsToTransaction}, a blocking round trip to the group coordinator), as the
 *       coordinator's loop does: the floor of the barrier as the product must run it.
 * </ul>
 */
public final class RoundTrip implements Scenario {

    enum Variant {
        IDEMPOTENT("raw round trip, idempotent produce -> read_committed consume"),
        TRANSACTIONAL("raw round trip, transactional produce (1 msg/txn) -> read_committed consume"),
        RELAY("raw barrier floor: event hop + transactional relay hop (2 hops, zero decision time)"),
        EXACTLY_ONCE_RELAY("raw exactly-once barrier floor: event hop + relay committing its consumed offsets in"
                + " the transaction (the coordinator loop's path, zero decision time)");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        boolean relays() {
            return this == RELAY || this == EXACTLY_ONCE_RELAY;
        }
    }

    private static final Duration POLL = Duration.ofMillis(20);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Override
    public String section() {
        return "1";
    }

    @Override
    public String title() {
        return "Raw Kafka produce -> consume round trip (the floor)";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Variant v : Variant.values()) {
            rows.add(run(context, v));
        }
        return rows;
    }

    /** Each run's rows by namespace and variant, so section 2 divides by the floor of the same run. */
    private static final Map<String, Row> MEASURED = new ConcurrentHashMap<>();

    /** The row of {@code variant} measured in this run (this context's namespace), measuring it if it was not. */
    static Row floor(BenchContext context, Variant variant) throws Exception {
        Row r = MEASURED.get(context.namespace() + "/" + variant);
        return r != null ? r : run(context, variant);
    }

    /** The p50/p99 of one variant, for the ratios of section 2. */
    public static Row run(BenchContext context, Variant variant) throws Exception {
        Row row = measure(context, variant);
        MEASURED.put(context.namespace() + "/" + variant, row);
        return row;
    }

    private static Row measure(BenchContext context, Variant variant) throws Exception {
        Budget b = context.budget();
        TopicSpec in = context.scratchTopic("rtt-" + variant.name().toLowerCase() + "-in", 1);
        TopicSpec out = context.scratchTopic("rtt-" + variant.name().toLowerCase() + "-out", 1);
        context.ensure(variant.relays() ? List.of(in, out) : List.of(in));
        context.say(variant.label + ": " + b.warmupRoundTrips() + " warm-up + " + b.roundTrips() + " timed");
        byte[] payload = LogCodec.encode(SampleRecords.deviceStateChanged(1, 0, 1));
        String bootstrap = context.bootstrapServers();
        String readFrom = variant.relays() ? out.name() : in.name();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> relayFailure = new AtomicReference<>();
        Thread relay = null;
        if (variant.relays()) {
            CountDownLatch ready = new CountDownLatch(1);
            Optional<String> group = variant == Variant.EXACTLY_ONCE_RELAY
                    ? Optional.of(context.namespace() + "-relay-" + UUID.randomUUID()) : Optional.empty();
            relay = new Thread(() -> relay(bootstrap, in.name(), out.name(), group, stop, ready, relayFailure),
                    "bench-relay");
            relay.setDaemon(true);
            relay.start();
            // The relay must have its position before the first message, or it would skip it.
            if (!ready.await(60, TimeUnit.SECONDS) || relayFailure.get() != null) {
                throw new IllegalStateException("the relay did not start", relayFailure.get());
            }
        }
        long[] nanos = new long[b.roundTrips()];
        try (KafkaProducer<byte[], byte[]> producer = variant == Variant.TRANSACTIONAL
                        ? ControlPlaneClients.transactionalProducer(bootstrap, "bench-rtt-" + UUID.randomUUID())
                        : ControlPlaneClients.producer(bootstrap);
                KafkaConsumer<byte[], byte[]> consumer = ControlPlaneClients.consumer(bootstrap)) {
            TopicPartition tp = new TopicPartition(readFrom, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            long seq = 0;
            for (int i = 0; i < b.warmupRoundTrips() + b.roundTrips(); i++) {
                long took = once(producer, consumer, in.name(), variant == Variant.TRANSACTIONAL, seq++, payload);
                if (relayFailure.get() != null) {
                    throw new IllegalStateException("the relay failed", relayFailure.get());
                }
                if (i >= b.warmupRoundTrips()) {
                    nanos[i - b.warmupRoundTrips()] = took;
                }
            }
        } finally {
            stop.set(true);
            if (relay != null) {
                relay.join(10_000);
            }
        }
        Map<String, Double> values = new Percentiles(nanos).millis();
        return Row.measured("1", variant.label, values, "payload " + payload.length + " B, 1 partition, "
                + b.warmupRoundTrips() + " warm-up round trips, one message in flight at a time");
    }

    private static long once(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
            String topic, boolean transactional, long seq, byte[] payload) {
        byte[] key = ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
        long start = System.nanoTime();
        if (transactional) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, payload));
            producer.commitTransaction();
        } else {
            producer.send(new ProducerRecord<>(topic, key, payload));
        }
        while (System.nanoTime() - start < GIVE_UP_NANOS) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (r.key() != null && ByteBuffer.wrap(r.key()).getLong() == seq) {
                    return System.nanoTime() - start;
                }
            }
        }
        throw new IllegalStateException("round trip " + seq + " not consumed within 30 s");
    }

    /**
     * Consumes {@code from} and re-produces every record to {@code to}, one transaction per poll;
     * with a {@code group}, the consumed offsets are committed in the transaction as well
     * ({@code sendOffsetsToTransaction}), as the coordinator's exactly-once loop does.
     */
    private static void relay(String bootstrap, String from, String to, Optional<String> group, AtomicBoolean stop,
            CountDownLatch ready, AtomicReference<Throwable> failure) {
        try (KafkaConsumer<byte[], byte[]> consumer = group.isPresent()
                        ? ControlPlaneClients.consumer(bootstrap, group.get()) : ControlPlaneClients.consumer(bootstrap);
                KafkaProducer<byte[], byte[]> producer = ControlPlaneClients.transactionalProducer(bootstrap,
                        "bench-relay-" + UUID.randomUUID())) {
            TopicPartition tp = new TopicPartition(from, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            ready.countDown();
            while (!stop.get()) {
                var records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                long next = -1;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                    next = r.offset() + 1;
                }
                if (group.isPresent()) {
                    producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(next)), consumer.groupMetadata());
                }
                producer.commitTransaction();
            }
        } catch (RuntimeException e) {
            failure.set(e);
            ready.countDown();
        }
    }
}
