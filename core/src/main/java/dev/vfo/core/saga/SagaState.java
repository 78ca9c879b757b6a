package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.MigrationId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The saga's state for one VM: the fold of the coordinator's log. Finished migrations leave only
 * their id in a short list (so a repeated request is recognised), never their history.
 *
 * @param clock the latest input time recorded (the shell's clock; never read, only folded)
 * @param epoch the coordinator epoch commands are issued under
 * @param commandCounter makes command ids unique within an epoch
 * @param inventory every device of the VM the agents registered, by id
 * @param active the migration in flight
 * @param recentlyFinished the last {@value #REMEMBERED} finished migration ids
 */
public record SagaState(Instant clock, long epoch, long commandCounter, SortedMap<DeviceId, KnownDevice> inventory,
        Optional<ActiveMigration> active, List<MigrationId> recentlyFinished) {

    public static final int REMEMBERED = 8;

    public static final SagaState EMPTY = new SagaState(Instant.EPOCH, 0, 0, new TreeMap<>(), Optional.empty(),
            List.of());

    public SagaState {
        inventory = Frozen.sorted(inventory);
        recentlyFinished = List.copyOf(recentlyFinished);
    }

    SagaState withClock(Instant at) {
        return at.isAfter(clock) ? new SagaState(at, epoch, commandCounter, inventory, active, recentlyFinished) : this;
    }

    SagaState withEpoch(long e) {
        return new SagaState(clock, e, commandCounter, inventory, active, recentlyFinished);
    }

    SagaState withCounter(long c) {
        return new SagaState(clock, epoch, c, inventory, active, recentlyFinished);
    }

    SagaState withDevice(KnownDevice d) {
        return new SagaState(clock, epoch, commandCounter, Frozen.with(inventory, d.device(), d), active,
                recentlyFinished);
    }

    SagaState withActive(ActiveMigration m) {
        return new SagaState(clock, epoch, commandCounter, inventory, Optional.of(m), recentlyFinished);
    }

    SagaState finished(MigrationId id) {
        List<MigrationId> ids = new ArrayList<>(recentlyFinished);
        ids.add(id);
        while (ids.size() > REMEMBERED) {
            ids.remove(0);
        }
        return new SagaState(clock, epoch, commandCounter, inventory, Optional.empty(), ids);
    }

    Optional<KnownDevice> device(DeviceId id) {
        return Optional.ofNullable(inventory.get(id));
    }
}
