package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.MigrationId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transfers one side has in flight, one per device slot ({@code migration} and the local
 * device). A newer command for a busy slot supersedes the flow in it (the coordinator re-sent it);
 * a command from an older coordinator epoch than the one in flight is refused, so a stale
 * coordinator cannot cut a live transfer.
 */
final class Flights<F extends Flow> {
    private final Map<String, F> live = new ConcurrentHashMap<>();

    static String slot(MigrationId migration, Object device) {
        return migration.value() + "|" + device;
    }

    /**
     * Lets {@code flow} into {@code slot} with its deadline armed, unless {@code unfit} or the slot
     * refuses it: then the flow ends at once, failed with that reason. True when it is in flight.
     */
    boolean enter(String slot, F flow, Optional<String> unfit, Instant deadline, Clock clock) {
        flow.whenEnded(() -> remove(slot, flow));
        Optional<String> refused = unfit.isPresent() ? unfit : admit(slot, flow);
        if (refused.isPresent()) {
            flow.fail(refused.get());
            return false;
        }
        flow.armDeadline(deadline, clock);
        return true;
    }

    /** Admits {@code flow} into {@code slot}, or says why not. */
    private synchronized Optional<String> admit(String slot, F flow) {
        F old = live.get(slot);
        if (old != null && old.epoch() > flow.epoch()) {
            return Optional.of("command " + flow.command() + " of coordinator epoch " + flow.epoch()
                    + " is older than the transfer in flight (command " + old.command() + ", epoch " + old.epoch() + ")");
        }
        live.put(slot, flow);
        if (old != null) {
            old.fail("superseded by command " + flow.command() + " (epoch " + flow.epoch() + ")");
        }
        return Optional.empty();
    }

    void remove(String slot, F flow) {
        live.remove(slot, flow);
    }

    Optional<F> get(String slot) {
        return Optional.ofNullable(live.get(slot));
    }

    List<F> all() {
        return new ArrayList<>(live.values());
    }

    /** Aborts every flow of {@code migration}; how many there were. */
    int abort(MigrationId migration, String reason) {
        int n = 0;
        for (F f : all()) {
            if (f.key().migration().equals(migration)) {
                f.abort(reason);
                n++;
            }
        }
        return n;
    }
}
