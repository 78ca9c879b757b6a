package dev.vfo.core.saga;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
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
 */
public record Step(MigrationState target, boolean reset, int attempts, Optional<CommandId> pending, Instant deadline,
        boolean reissue, boolean done) {

    static Step issued(MigrationState target, boolean reset, int attempts, CommandId id, Instant deadline) {
        return new Step(target, reset, attempts, Optional.of(id), deadline, false, false);
    }

    Step answered(boolean success) {
        return new Step(target, reset, attempts, Optional.empty(), deadline, false, done || (reset && success));
    }

    /** A takeover: the live command is kept (it may still run) and re-issued under the new epoch. */
    Step forReissue() {
        return new Step(target, reset, attempts, pending, deadline, pending.isPresent(), done);
    }

    /** A new phase counts attempts afresh; an unanswered command stays known (the device may be at its target). */
    Step forNewPhase() {
        return new Step(target, reset, 0, pending, deadline, reissue, done);
    }

    boolean live(Instant now) {
        return pending.isPresent() && now.isBefore(deadline);
    }
}
