package dev.vfo.agent.device;

import dev.vfo.core.vfio.abi.PrecopyInfo;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The saving data fd: a read-only, position-less stream of device state. In PRE_COPY and
 * PRE_COPY_P2P it yields initial and dirty data and then {@link ReadResult.NoDataNow}; after the
 * device moves on to STOP_COPY the same session continues and ends with
 * {@link ReadResult.EndOfStream}.
 */
public non-sealed interface SavingSession extends DataSession {

    /** Reads up to {@code dst.remaining()} bytes into {@code dst}, advancing its position. */
    ReadResult read(ByteBuffer dst);

    /**
     * VFIO_MIG_GET_PRECOPY_INFO: initial and dirty bytes still to read. EINVAL outside PRE_COPY
     * and PRE_COPY_P2P, ENODEV once the session ended.
     */
    Outcome<PrecopyInfo> preCopyInfo();

    /**
     * Waits up to {@code timeout} for the session to become readable (poll POLLIN); true when it
     * is. At the PRE_COPY temporary end, data may never come: callers bound the wait.
     */
    Outcome<Boolean> awaitReadable(Duration timeout);

    @Override
    default Kind kind() {
        return Kind.SAVING;
    }
}
