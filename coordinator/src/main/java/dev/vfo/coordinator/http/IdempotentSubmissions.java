package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.MigrationDesk;
import dev.vfo.coordinator.api.MigrationRequest;
import dev.vfo.coordinator.api.SubmitOutcome;
import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes Idempotency-Key retries start at most one migration.
 *
 * <p>Two layers: the migration id is derived from the caller and the key, so every retry (on
 * any instance, after any restart) names the same migration and the desk answers Duplicate; and
 * while a submission with that id is in flight here, a concurrent copy waits for it instead of
 * reaching the desk, so even two copies racing through one instance cause one submit.
 */
final class IdempotentSubmissions {
    private final MigrationDesk desk;
    private final Map<MigrationId, Future<SubmitOutcome>> inFlight = new ConcurrentHashMap<>();

    IdempotentSubmissions(MigrationDesk desk) {
        this.desk = desk;
    }

    /**
     * The id of a new migration: derived from {@code caller} and {@code key} when a key is sent
     * (scoped per caller, so two callers' keys never collide), random otherwise.
     */
    static MigrationId idFor(String caller, Optional<String> key) {
        if (key.isEmpty()) {
            return new MigrationId("m-" + UUID.randomUUID());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((caller + "\n" + key.get()).getBytes(StandardCharsets.UTF_8));
            return new MigrationId("m-" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Future<SubmitOutcome> submit(MigrationRequest request) {
        if (request.idempotencyKey().isEmpty()) {
            return desk.submit(request);
        }
        Promise<SubmitOutcome> mine = Promise.promise();
        Future<SubmitOutcome> earlier = inFlight.putIfAbsent(request.id(), mine.future());
        if (earlier != null) {
            return earlier.map(IdempotentSubmissions::asReplay);
        }
        desk.submit(request).onComplete(done -> {
            // Leave the map before answering: a retry after this answer goes to the desk, which
            // knows the id by then and answers Duplicate itself.
            inFlight.remove(request.id(), mine.future());
            mine.handle(done);
        });
        return mine.future();
    }

    /** What a copy that waited for the first submission answers: the original, never "accepted" twice. */
    private static SubmitOutcome asReplay(SubmitOutcome original) {
        return switch (original.kind()) {
            case ACCEPTED -> new SubmitOutcome.Duplicate(((SubmitOutcome.Accepted) original).migration());
            case DUPLICATE, ALREADY_MIGRATING, REFUSED -> original;
        };
    }

    int inFlightCount() {
        return inFlight.size();
    }
}
