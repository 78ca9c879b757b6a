package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator as the REST API sees it: where migrations are handed in, cancelled and looked
 * up. The exactly-once loop implements it; the API never reads Kafka itself.
 *
 * <p>Every method answers with a future; business answers (refused, not found, too late) are
 * values, a failed future means the desk could not answer at all.
 */
public interface MigrationDesk {

    /**
     * Hands a migration to the saga. A request whose {@link MigrationRequest#id()} is already
     * known answers {@link SubmitOutcome.Duplicate} with the original and starts nothing, however
     * many copies arrive and in whatever order: this is what makes Idempotency-Key retries safe
     * across API instances and restarts.
     */
    Future<SubmitOutcome> submit(MigrationRequest request);

    /** Asks the saga to roll back {@code id}; refused once it passed its commit point. */
    Future<CancelOutcome> cancel(MigrationId id, String requestedBy);

    Future<Optional<MigrationView>> migration(MigrationId id);

    Future<List<MigrationView>> migrations(MigrationFilter filter);

    Future<List<DeviceView>> devices();

    Future<Optional<VmView>> vm(VmId vm);

    /**
     * Subscribes {@code watcher} to {@code id}'s events after {@code afterSequence}: first those
     * already known, then live ones, then {@link MigrationWatcher#onEnd()} once the migration
     * ended. Empty when no migration has this id.
     */
    Future<Optional<Watch>> watch(MigrationId id, long afterSequence, MigrationWatcher watcher);

    Future<Readiness> readiness();
}
