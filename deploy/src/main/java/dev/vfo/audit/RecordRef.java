package dev.vfo.audit;

import dev.vfo.schemas.codec.LoggedRecord;
import java.util.Objects;

/** Where a record sits in the log: what a violation points at, so a person can fetch it. */
public record RecordRef(String topic, int partition, long offset) {
    public RecordRef {
        Objects.requireNonNull(topic);
    }

    public static RecordRef of(LoggedRecord r) {
        return new RecordRef(r.topic(), r.partition(), r.offset());
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
