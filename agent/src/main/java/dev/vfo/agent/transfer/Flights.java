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
 * device). The same command again gets the flow already in flight (commands may be redelivered);
 * a newer command for a busy slot supersedes the flow in it (the coordinator re-sent it);
 * a command from an older coordinator epoch than the one in flight is refused, so a stale
 * coordinator cannot cut a live transfer.
 */
final class Flights<F extends Flow> {
    private final Map<String, F> live = new ConcurrentHashMap<>();

    static String slot(MigrationId migration, Object device) {
        return migration.value() + "|" + device;
    }

    /**
     * Lets {@code flow} into {@code slot} with its deadline armed and returns it, ready to start.
     * A command already in flight in the slot (redelivered) gets the flow in flight back, and
     * {@code flow} is dropped unstarted. When {@code unfit} or the slot refuses it, {@code flow} is
     * returned ended, failed with that reason.
     */
    synchronized F enter(String slot, F flow, Optional<String> unfit, Instant deadline, Clock clock) {
        F old = live.get(slot);
        if (old != null && old.command().equals(flow.command())) {
            return old;
        }
        flow.whenEnded(() -> remove(slot, flow));
        Optional<String> refused = unfit;
        if (refused.isEmpty() && old != null && old.epoch() > flow.epoch()) {
            refused = Optional.of("command " + flow.command() + " of coordinator epoch " + flow.epoch()
                    + " is older than the transfer in flight (command " + old.command() + ", epoch " + old.epoch()
                    + ")");
        }
        if (refused.isPresent()) {
            flow.fail(refused.get());
            return flow;
        }
        live.put(slot, flow);
        if (old != null) {
            old.fail("superseded by command " + flow.command() + " (epoch " + flow.epoch() + ")");
        }
        flow.armDeadline(deadline, clock);
        return flow;
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
