package dev.vfo.core.saga;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the coordinator knows of a device when it gives up on a migration: the last state its agent
 * reported and the commands sent to it since its last answer (oldest first), each with the state
 * it asks for. An unanswered command past its deadline may still have run (the agent started the
 * arc in time and its answer is late, lost, or died with the agent), so the device is in
 * {@code state} or at one of those targets, and the saga cannot tell which; a later report settles it.
 */
public record DeviceSnapshot(HostId host, DeviceId device, MigrationState state, List<Unanswered> unanswered) {
    public DeviceSnapshot {
        Objects.requireNonNull(host);
        Objects.requireNonNull(device);
        Objects.requireNonNull(state);
        unanswered = List.copyOf(unanswered);
    }

    /** A device with no command in doubt. */
    public DeviceSnapshot(HostId host, DeviceId device, MigrationState state) {
        this(host, device, state, List.of());
    }

    /**
     * A command to the device that got no answer.
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
        return state == real || unanswered.stream().anyMatch(u -> u.target() == real);
    }

    /** The unanswered commands' targets: where the device may be instead of {@code state}. */
    public Set<MigrationState> doubtful() {
        Set<MigrationState> out = EnumSet.noneOf(MigrationState.class);
        unanswered.forEach(u -> out.add(u.target()));
        return out;
    }
}
