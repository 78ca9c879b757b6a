package dev.vfo.agent.device;

import dev.vfo.core.vfio.Errno;
import java.util.Objects;

/**
 * What one read of a saving session gave. The three non-error endings are the uAPI's: bytes, the
 * temporary end of a PRE_COPY stream (read fails with ENOMSG: nothing now, maybe more later, poll
 * and ask again), and the true end of a STOP_COPY stream (read returns 0: the state is complete).
 */
public sealed interface ReadResult permits ReadResult.Bytes, ReadResult.NoDataNow, ReadResult.EndOfStream,
        ReadResult.Failed {

    enum Kind {
        BYTES,
        NO_DATA_NOW,
        END_OF_STREAM,
        FAILED
    }

    Kind kind();

    /** {@code count} bytes (at least one) were put into the buffer. */
    record Bytes(int count) implements ReadResult {
        public Bytes {
            if (count <= 0) {
                throw new IllegalArgumentException("a read of bytes moves at least one, was " + count);
            }
        }

        @Override
        public Kind kind() {
            return Kind.BYTES;
        }
    }

    /** PRE_COPY temporary end of stream (ENOMSG): initial and dirty bytes are both 0 right now. */
    record NoDataNow() implements ReadResult {
        @Override
        public Kind kind() {
            return Kind.NO_DATA_NOW;
        }
    }

    /** STOP_COPY end of stream: the whole device state has been read. */
    record EndOfStream() implements ReadResult {
        @Override
        public Kind kind() {
            return Kind.END_OF_STREAM;
        }
    }

    /** The read failed (ENODEV on a stale session, EIO, ...). */
    record Failed(int errno, String detail) implements ReadResult {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }

        @Override
        public String toString() {
            return Errno.describe(errno) + ": " + detail;
        }
    }
}
