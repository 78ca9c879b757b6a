package dev.vfo.schemas.deadletter;

import dev.vfo.schemas.codec.Failure;
import java.util.Objects;
import java.util.Optional;

/**
 * A record no decoder could read, as it sits in the dead-letter topic: where it came from, why it
 * failed, and its key and value bytes exactly as they were (empty for a null key or value).
 */
public record DeadLetter(String topic, int partition, long offset, long timestamp, Failure.Reason reason,
        String detail, Optional<byte[]> key, Optional<byte[]> value) {
    public DeadLetter {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(detail);
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
    }
}
