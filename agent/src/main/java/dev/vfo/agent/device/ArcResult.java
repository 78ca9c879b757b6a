package dev.vfo.agent.device;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one {@link Arc} sent to a device with {@link VfioDevice#setState(Arc)}.
 *
 * <p>A failed SET never tells where the device is (the kernel echoes the requested state), so
 * {@link Failed} carries what a GET read back afterwards. {@link NotSent} means the port refused
 * the arc before touching the device because it does not start where the device is, or was planned
 * for other flags: sending it would make the kernel walk a different, possibly multi-arc, path.
 */
public sealed interface ArcResult permits ArcResult.Completed, ArcResult.Failed, ArcResult.NotSent {

    enum Kind {
        COMPLETED,
        FAILED,
        NOT_SENT
    }

    Arc arc();

    Kind kind();

    /**
     * The device is now in {@code arc.to()}. {@code session} is present exactly on the four arcs
     * that open a data session ({@link Arc#opensDataSession()}); moving within the saving group
     * keeps the session the caller already holds.
     */
    record Completed(Arc arc, Optional<DataSession> session) implements ArcResult {
        public Completed {
            Objects.requireNonNull(arc, "arc");
            Objects.requireNonNull(session, "session");
        }

        @Override
        public Kind kind() {
            return Kind.COMPLETED;
        }
    }

    /**
     * The device refused or failed the arc with {@code errno}. {@code readBack} is the state a GET
     * returned after the failure: {@code arc.from()}, or ERROR when the driver gave up (only a
     * reset recovers it); it is itself an outcome because the GET can fail too.
     */
    record Failed(Arc arc, int errno, String detail, Outcome<MigrationState> readBack) implements ArcResult {
        public Failed {
            Objects.requireNonNull(arc, "arc");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(readBack, "readBack");
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }

        @Override
        public String toString() {
            return arc + " failed with " + Errno.describe(errno) + " (" + detail + "); read back "
                    + readBack.describe();
        }
    }

    /**
     * Nothing was sent: {@code actual} is where the device is (or why that could not be read), and
     * {@code reason} says why the arc does not apply.
     */
    record NotSent(Arc arc, Outcome<MigrationState> actual, String reason) implements ArcResult {
        public NotSent {
            Objects.requireNonNull(arc, "arc");
            Objects.requireNonNull(actual, "actual");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.NOT_SENT;
        }
    }
}
