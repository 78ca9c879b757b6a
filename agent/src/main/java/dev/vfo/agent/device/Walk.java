package dev.vfo.agent.device;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link DeviceStepper#walk} toward a target ended. Every variant lists the arcs completed
 * before it ended, each of which the agent reports, so a partial walk is never lost.
 */
public sealed interface Walk permits Walk.Reached, Walk.Refused, Walk.Failed, Walk.Diverged, Walk.Unreadable {

    enum Kind {
        REACHED,
        REFUSED,
        FAILED,
        DIVERGED,
        UNREADABLE
    }

    Kind kind();

    List<ArcReport> completed();

    /** The device is in {@code target}; no arcs when it already was. */
    record Reached(MigrationState target, List<ArcReport> completed) implements Walk {
        public Reached {
            Objects.requireNonNull(target, "target");
            completed = List.copyOf(completed);
        }

        @Override
        public Kind kind() {
            return Kind.REACHED;
        }
    }

    /**
     * Nothing was sent: the FSM has no path ({@code errno} EINVAL, as the kernel would answer), or
     * the device's flags are an undefined combination (no errno), or it has no migration at all
     * (ENOTTY). {@code current} is empty when the state was not read because of the flags.
     */
    record Refused(Optional<MigrationState> current, MigrationState target, Optional<Errno> errno, String reason)
            implements Walk {
        public Refused {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(errno, "errno");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public List<ArcReport> completed() {
            return List.of();
        }

        @Override
        public Kind kind() {
            return Kind.REFUSED;
        }
    }

    /** {@code arc} failed with {@code errno}; {@code readBack} is where a GET found the device then. */
    record Failed(MigrationState target, List<ArcReport> completed, Arc arc, int errno, String detail,
            Outcome<MigrationState> readBack) implements Walk {
        public Failed {
            Objects.requireNonNull(target, "target");
            completed = List.copyOf(completed);
            Objects.requireNonNull(arc, "arc");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(readBack, "readBack");
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }
    }

    /**
     * The device was not where the walk expected before {@code arc} (something else changed it),
     * so the walk stopped without sending it.
     */
    record Diverged(MigrationState target, List<ArcReport> completed, Arc arc, Outcome<MigrationState> actual,
            String reason) implements Walk {
        public Diverged {
            Objects.requireNonNull(target, "target");
            completed = List.copyOf(completed);
            Objects.requireNonNull(arc, "arc");
            Objects.requireNonNull(actual, "actual");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.DIVERGED;
        }
    }

    /** The device's flags or state could not be read, so no path could be planned. */
    record Unreadable(MigrationState target, int errno, String detail) implements Walk {
        public Unreadable {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public List<ArcReport> completed() {
            return List.of();
        }

        @Override
        public Kind kind() {
            return Kind.UNREADABLE;
        }
    }
}
