package dev.vfo.audit;

import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the audited topics of a live cluster in audit order, with a plain consumer: every
 * partition assigned (no group, nothing committed), {@code read_committed}, from the beginning or
 * from {@code since} (offsetsForTimes) up to the end offsets captured when reading starts, so the
 * audit is of a fixed snapshot while producers go on.
 *
 * <p>Audit order: for each partition number, the device events and the coordinator log of that
 * partition (a VM's records share the number) merged by record timestamp, device events first on
 * a tie (an agent's event is produced before the coordinator records it), each partition in
 * offset order; then the dead letters. Per partition at most {@value #BUFFERED} records are
 * buffered (fetching pauses above that), so memory does not grow with the log.
 */
public final class TopicLog {

    static final int BUFFERED = 2000;

    /** The time range to read; both ends by record timestamp. */
    public record Range(Optional<Instant> since, Optional<Instant> until) {
        public Range {
            Objects.requireNonNull(since);
            Objects.requireNonNull(until);
        }

        public boolean includes(long timestamp) {
            return until.map(u -> timestamp <= u.toEpochMilli()).orElse(true);
        }
    }

    private final Map<String, Object> clientConfig;
    private final TopicCatalog topics;
    private final Range range;
    private final Duration stall;
    /** End offsets fixed by {@link #pin()}: every later pass reads exactly the same records. */
    private Map<TopicPartition, Long> pinned;

    /**
     * @param stall how long reading may make no progress before it fails (a broker that went away)
     */
    public TopicLog(Map<String, Object> clientConfig, TopicCatalog topics, Range range, Duration stall) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topics = Objects.requireNonNull(topics);
        this.range = Objects.requireNonNull(range);
        this.stall = Objects.requireNonNull(stall);
    }

    /**
     * Captures the end offsets of every audited partition now, so that each later {@link #forEach}
     * reads the same records (an export counts them in one pass and writes them in the next).
     */
    public TopicLog pin() {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : List.of(topics.deviceEvents().name(), topics.coordinatorLog().name(),
                    topics.deadLetters().name())) {
                partitions(c, topic).forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
            pinned = Map.copyOf(c.endOffsets(all));
        }
        return this;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // A snapshot is read up to fixed end offsets: there is never new data worth a long poll.
        // With the default 500 ms, each partition number's first poll waited for the previous
        // one's prefetch at its end to time out: 0.5 s x 12 partition numbers, most of a replay.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vfo-audit");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Passes every record in range to {@code sink} in audit order; returns how many. */
    public long forEach(Consumer<LoggedRecord> sink) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<PartitionInfo> events = partitions(c, topics.deviceEvents().name());
            List<PartitionInfo> log = partitions(c, topics.coordinatorLog().name());
            List<PartitionInfo> dead = partitions(c, topics.deadLetters().name());
            long n = 0;
            int numbers = Math.max(events.size(), log.size());
            for (int i = 0; i < numbers; i++) {
                List<TopicPartition> tps = new ArrayList<>();
                if (i < events.size()) {
                    tps.add(new TopicPartition(topics.deviceEvents().name(), i));
                }
                if (i < log.size()) {
                    tps.add(new TopicPartition(topics.coordinatorLog().name(), i));
                }
                n += merged(c, tps, sink);
            }
            for (PartitionInfo d : dead) {
                n += merged(c, List.of(new TopicPartition(d.topic(), d.partition())), sink);
            }
            return n;
        }
    }

    private List<PartitionInfo> partitions(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<PartitionInfo> found = c.partitionsFor(topic, stall);
        if (found == null || found.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        List<PartitionInfo> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return sorted;
    }

    /** The partitions {@code tps} (device events first), merged by timestamp up to their captured ends. */
    private long merged(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> tps, Consumer<LoggedRecord> sink) {
        c.assign(tps);
        Map<TopicPartition, Long> ends = new HashMap<>(c.endOffsets(tps));
        if (pinned != null) {
            tps.forEach(tp -> ends.put(tp, Math.min(ends.get(tp), pinned.getOrDefault(tp, 0L))));
        }
        Map<TopicPartition, Long> starts = new HashMap<>(c.beginningOffsets(tps));
        if (range.since().isPresent()) {
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, range.since().get().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
            tps.forEach(tp -> {
                OffsetAndTimestamp at = found.get(tp);
                starts.put(tp, at == null ? ends.get(tp) : at.offset());
            });
        }
        tps.forEach(tp -> c.seek(tp, starts.get(tp)));
        Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
        tps.forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
        long n = 0;
        long lastProgress = System.nanoTime();
        while (true) {
            while (true) {
                TopicPartition best = null;
                boolean waiting = false;
                for (TopicPartition tp : tps) {
                    ArrayDeque<ConsumerRecord<byte[], byte[]>> q = buffers.get(tp);
                    if (q.isEmpty()) {
                        if (c.position(tp) < ends.get(tp)) {
                            waiting = true; // its next record could come first
                            break;
                        }
                        continue;
                    }
                    if (best == null || q.peek().timestamp() < buffers.get(best).peek().timestamp()) {
                        best = tp; // strict: on a tie the earlier partition in tps (device events) wins
                    }
                }
                if (waiting || best == null) {
                    break;
                }
                ConsumerRecord<byte[], byte[]> r = buffers.get(best).poll();
                if (range.includes(r.timestamp())) {
                    sink.accept(LoggedRecord.of(r));
                    n++;
                }
            }
            boolean finished = true;
            List<TopicPartition> fetch = new ArrayList<>();
            for (TopicPartition tp : tps) {
                boolean more = c.position(tp) < ends.get(tp);
                finished &= !more && buffers.get(tp).isEmpty();
                if (more && buffers.get(tp).size() < BUFFERED) {
                    fetch.add(tp);
                }
            }
            if (finished) {
                return n;
            }
            c.pause(tps);
            c.resume(fetch);
            int got = 0;
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < ends.get(tp)) {
                    buffers.get(tp).add(r);
                    got++;
                }
            }
            if (got > 0) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                throw new IllegalStateException("reading " + tps + " made no progress for " + stall.toSeconds()
                        + " s (positions " + positions(c, tps) + ", ends " + ends + ")");
            }
        }
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> tps) {
        Map<TopicPartition, Long> out = new HashMap<>();
        tps.forEach(tp -> out.put(tp, c.position(tp)));
        return out;
    }
}
