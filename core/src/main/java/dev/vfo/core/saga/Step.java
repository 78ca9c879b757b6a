package dev.vfo.core.saga;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command a device is working on. At most one command per device is live at a time:
 * {@code pending} is the id of the live one, which ends when its answer arrives or its
 * {@code deadline} passes (the agent refuses it after that). {@code attempts} counts issues of the
 * same goal; a takeover re-issues without counting ({@code reissue}).
 *
 * @param target the state asked for, or RUNNING for a reset
 * @param reset whether the command is VFIO_DEVICE_RESET rather than one arc
 * @param done whether a reset was acknowledged (resets have no distinguishable target)
 * @param superseded the commands to the device since its last answer that the pending one replaced
 *     unanswered (after their deadline, or on a takeover): an arc started in time may still end, so
 *     the device may be at any of their targets until an answer settles it
 */
public record Step(MigrationState target, boolean reset, int attempts, Optional<CommandId> pending, Instant deadline,
        boolean reissue, boolean done, List<DeviceSnapshot.Unanswered> superseded) {

    public Step {
        superseded = List.copyOf(superseded);
    }

    /**
     * The step for a new command replacing {@code prev}: an unanswered one joins the commands in doubt.
     * An answer clears them, since agents run a device's commands one at a time in arrival order and
     * refuse a command past its deadline, so nothing issued before the answered one can still run.
     */
    static Step issued(Step prev, MigrationState target, boolean reset, int attempts, CommandId id, Instant deadline) {
        List<DeviceSnapshot.Unanswered> doubt = new ArrayList<>();
        if (prev != null) {
            doubt.addAll(prev.unanswered());
        }
        return new Step(target, reset, attempts, Optional.of(id), deadline, false, false, doubt);
    }

    Step answered(boolean success) {
        return new Step(target, reset, attempts, Optional.empty(), deadline, false, done || (reset && success),
                List.of());
    }

    /** A takeover: the live command is kept (it may still run) and re-issued under the new epoch. */
    Step forReissue() {
        return new Step(target, reset, attempts, pending, deadline, pending.isPresent(), done, superseded);
    }

    /** A new phase counts attempts afresh; an unanswered command stays known (the device may be at its target). */
    Step forNewPhase() {
        return new Step(target, reset, 0, pending, deadline, reissue, done, superseded);
    }

    /** Every command whose effect is unknown: the superseded ones and the pending one, oldest first. */
    List<DeviceSnapshot.Unanswered> unanswered() {
        List<DeviceSnapshot.Unanswered> out = new ArrayList<>(superseded);
        pending.ifPresent(id -> out.add(new DeviceSnapshot.Unanswered(id, target)));
        return out;
    }

    boolean live(Instant now) {
        return pending.isPresent() && now.isBefore(deadline);
    }
}
