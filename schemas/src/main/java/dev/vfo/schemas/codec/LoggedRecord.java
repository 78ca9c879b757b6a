package dev.vfo.schemas.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record as it sits in the log: where, when, its key and value bytes (empty when null) and its
 * headers in order (a dead letter's origin and reason travel in headers, so an audit of an archive
 * needs them as much as one of the live topics).
 */
public record LoggedRecord(String topic, int partition, long offset, long timestamp, Optional<byte[]> key,
        Optional<byte[]> value, List<Header> headers) {

    /** One Kafka header: a key may repeat, a value may be null (empty). */
    public record Header(String key, Optional<byte[]> value) {
        public Header {
            Objects.requireNonNull(key);
            value = value.map(byte[]::clone);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header && key.equals(((Header) o).key) && same(value, ((Header) o).value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, value.map(Arrays::hashCode).orElse(0));
        }
    }

    public LoggedRecord {
        Objects.requireNonNull(topic);
        key = key.map(byte[]::clone);
        value = value.map(byte[]::clone);
        headers = List.copyOf(headers);
    }

    /** A record without headers (most vfo records have none). */
    public LoggedRecord(String topic, int partition, long offset, long timestamp, Optional<byte[]> key,
            Optional<byte[]> value) {
        this(topic, partition, offset, timestamp, key, value, List.of());
    }

    public static LoggedRecord of(ConsumerRecord<byte[], byte[]> r) {
        List<Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new Header(h.key(), Optional.ofNullable(h.value()))));
        return new LoggedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), Optional.ofNullable(r.key()),
                Optional.ofNullable(r.value()), headers);
    }

    // Arrays compare by content, which the record's generated equals would not do.
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LoggedRecord)) {
            return false;
        }
        LoggedRecord r = (LoggedRecord) o;
        return topic.equals(r.topic) && partition == r.partition && offset == r.offset && timestamp == r.timestamp
                && same(key, r.key) && same(value, r.value) && headers.equals(r.headers);
    }

    private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, key.map(Arrays::hashCode).orElse(0),
                value.map(Arrays::hashCode).orElse(0), headers);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " (" + timestamp + ", key " + key.map(k -> k.length + " bytes")
                .orElse("null") + ", value " + value.map(v -> v.length + " bytes").orElse("null")
                + (headers.isEmpty() ? "" : ", " + headers.size() + " headers") + ")";
    }
}
