package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a migration's history as watchers see it. {@code sequence} counts the migration's
 * events from 1 without gaps, so a client resuming with Last-Event-ID misses nothing;
 * {@code kind} is the saga's event name; {@code terminal} marks the last event of the migration.
 */
public record MigrationEvent(MigrationId migration, long sequence, String kind, Instant at, JsonObject data,
        boolean terminal) {
    public MigrationEvent {
        Objects.requireNonNull(migration, "migration");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
        Objects.requireNonNull(kind, "kind");
        if (kind.isEmpty() || kind.chars().anyMatch(c -> c == '\n' || c == '\r')) {
            // The kind becomes an SSE "event:" line; a line break would forge another field.
            throw new IllegalArgumentException("kind must be one non-empty line, was '" + kind + "'");
        }
        Objects.requireNonNull(at, "at");
        data = data.copy();
    }
}
