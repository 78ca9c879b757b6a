package dev.vfo.schemas.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One topic as the catalog defines it: name, partition count, replication (empty: the broker's
 * {@code default.replication.factor}), topic-level configs, and what its records are keyed by.
 */
public record TopicSpec(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs,
        Key key, String purpose) {

    /** What a topic's record key is. */
    public enum Key {
        /** The VM id as UTF-8: everything one migration must order lands in one partition. */
        VM_ID,
        /** The key of the record that could not be decoded, unchanged. */
        ORIGINAL_KEY
    }

    public TopicSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(replicationFactor);
        configs = Map.copyOf(configs);
        Objects.requireNonNull(key);
        Objects.requireNonNull(purpose);
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1");
        }
    }

    public String cleanupPolicy() {
        return configs.getOrDefault("cleanup.policy", "delete");
    }
}
