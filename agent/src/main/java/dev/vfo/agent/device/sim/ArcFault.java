package dev.vfo.agent.device.sim;

import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;

/**
 * A failure injected into one arc of one simulated device: the next {@code times} SETs of
 * {@code from>to} fail with {@code errno} and leave the device as {@code after} says.
 */
public record ArcFault(MigrationState from, MigrationState to, int errno, AfterFailure after, int times) {
    public ArcFault {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive");
        }
        if (times <= 0) {
            throw new IllegalArgumentException("a fault fires at least once");
        }
    }

    /** Fails every SET of the arc. */
    public static ArcFault always(MigrationState from, MigrationState to, int errno, AfterFailure after) {
        return new ArcFault(from, to, errno, after, Integer.MAX_VALUE);
    }

    /** Fails the next SET of the arc only. */
    public static ArcFault once(MigrationState from, MigrationState to, int errno, AfterFailure after) {
        return new ArcFault(from, to, errno, after, 1);
    }

    boolean matches(MigrationState f, MigrationState t) {
        return from == f && to == t;
    }
}
