package dev.vfo.schemas.codec;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record as it sits in the log: where, when, and its key and value bytes (empty when null). */
public record LoggedRecord(String topic, int partition, long offset, long timestamp, Optional<byte[]> key,
        Optional<byte[]> value) {

    public LoggedRecord {
        Objects.requireNonNull(topic);
        key = key.map(byte[]::clone);
        value = value.map(byte[]::clone);
    }

    public static LoggedRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new LoggedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), Optional.ofNullable(r.key()),
                Optional.ofNullable(r.value()));
    }

    // Arrays compare by content, which the record's generated equals would not do.
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LoggedRecord)) {
            return false;
        }
        LoggedRecord r = (LoggedRecord) o;
        return topic.equals(r.topic) && partition == r.partition && offset == r.offset && timestamp == r.timestamp
                && same(key, r.key) && same(value, r.value);
    }

    private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, key.map(Arrays::hashCode).orElse(0),
                value.map(Arrays::hashCode).orElse(0));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " (" + timestamp + ", key " + key.map(k -> k.length + " bytes")
                .orElse("null") + ", value " + value.map(v -> v.length + " bytes").orElse("null") + ")";
    }
}
