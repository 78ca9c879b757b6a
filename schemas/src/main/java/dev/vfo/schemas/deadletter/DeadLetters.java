package dev.vfo.schemas.deadletter;

import dev.vfo.schemas.codec.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Puts undecodable records into the dead-letter topic, so a consumer loop keeps going and nothing
 * is lost.
 *
 * <p>Format (chosen so that a dead letter is the original record, byte for byte, plus metadata
 * that needs no schema to read): key and value are the original bytes, unchanged (the key keeps
 * a VM's letters in order); the original headers are kept, and these headers are added, each a
 * UTF-8 string: {@value #REASON} (a {@link Failure.Reason} name), {@value #DETAIL},
 * {@value #ORIGIN_TOPIC}, {@value #ORIGIN_PARTITION}, {@value #ORIGIN_OFFSET} and
 * {@value #ORIGIN_TIMESTAMP} (epoch milliseconds). No Avro wraps the letter: the bytes that failed
 * to decode must not depend on a decoder to be read back. {@code kcat -C -t vfo.dead-letters -f
 * '%h %k\n'} shows them.
 *
 * <p>Delivery: {@link #send} returns the producer's future. A transactional loop sends the letter
 * in the transaction that commits the consumed offset; a plain loop must wait for the future (or
 * flush) before committing the offset, so a crash in between re-delivers instead of losing it.
 */
public final class DeadLetters {

    public static final String REASON = "vfo.dlq.reason";
    public static final String DETAIL = "vfo.dlq.detail";
    public static final String ORIGIN_TOPIC = "vfo.dlq.topic";
    public static final String ORIGIN_PARTITION = "vfo.dlq.partition";
    public static final String ORIGIN_OFFSET = "vfo.dlq.offset";
    public static final String ORIGIN_TIMESTAMP = "vfo.dlq.timestamp";

    /** Headers are not meant for essays; a detail longer than this is cut. */
    static final int MAX_DETAIL_CHARS = 2000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    /** @param topic the catalog's dead-letter topic */
    public DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, Failure failure) {
        return producer.send(letter(topic, record, failure));
    }

    /** The dead-letter record for {@code record} (pure: no I/O). */
    public static ProducerRecord<byte[], byte[]> letter(String deadLetterTopic, ConsumerRecord<byte[], byte[]> record,
            Failure failure) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("vfo.dlq.")) {
                headers.add(h);
            }
        }
        String detail = failure.detail().length() > MAX_DETAIL_CHARS
                ? failure.detail().substring(0, MAX_DETAIL_CHARS) + "..." : failure.detail();
        headers.add(REASON, utf8(failure.reason().name()));
        headers.add(DETAIL, utf8(detail));
        headers.add(ORIGIN_TOPIC, utf8(record.topic()));
        headers.add(ORIGIN_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(ORIGIN_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(ORIGIN_TIMESTAMP, utf8(Long.toString(record.timestamp())));
        return new ProducerRecord<>(deadLetterTopic, null, null, record.key(), record.value(), headers);
    }

    /** Reads a record of the dead-letter topic back; empty if it lacks the dead-letter headers. */
    public static Optional<DeadLetter> read(ConsumerRecord<byte[], byte[]> letter) {
        try {
            Optional<String> reason = header(letter, REASON);
            Optional<String> origin = header(letter, ORIGIN_TOPIC);
            if (reason.isEmpty() || origin.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new DeadLetter(origin.get(),
                    Integer.parseInt(header(letter, ORIGIN_PARTITION).orElse("-1")),
                    Long.parseLong(header(letter, ORIGIN_OFFSET).orElse("-1")),
                    Long.parseLong(header(letter, ORIGIN_TIMESTAMP).orElse("-1")),
                    Failure.Reason.valueOf(reason.get()), header(letter, DETAIL).orElse(""),
                    Optional.ofNullable(letter.key()), Optional.ofNullable(letter.value())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null || h.value() == null ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
