package dev.vfo.core.saga;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator knows of a device when it gives up on a migration: the last state its agent
 * reported and, when the last command to it went unanswered, that command and the state it asks
 * for. An unanswered command past its deadline may still have run (the agent started the arc in
 * time and its answer is late, lost, or died with the agent), so the device is in {@code state} or
 * in the unanswered target, and the saga cannot tell which; a later report settles it.
 */
public record DeviceSnapshot(HostId host, DeviceId device, MigrationState state, Optional<Unanswered> unanswered) {
    public DeviceSnapshot {
        Objects.requireNonNull(host);
        Objects.requireNonNull(device);
        Objects.requireNonNull(state);
        Objects.requireNonNull(unanswered);
    }

    /** A device with no command in doubt. */
    public DeviceSnapshot(HostId host, DeviceId device, MigrationState state) {
        this(host, device, state, Optional.empty());
    }

    /**
     * The last command to the device that got no answer.
     *
     * @param target the state the command brings the device to (RUNNING for a reset)
     */
    public record Unanswered(CommandId command, MigrationState target) {
        public Unanswered {
            Objects.requireNonNull(command);
            Objects.requireNonNull(target);
        }
    }

    /** Whether the device may really be in {@code real}: its last reported state, or an unanswered command's target. */
    public boolean admits(MigrationState real) {
        return state == real || unanswered.map(u -> u.target() == real).orElse(false);
    }
}
