package dev.vfo.agent.device.sim;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Produces one saving session's stream a frame at a time, so only one frame (at most
 * {@code chunkBytes} of payload) is ever in memory. Started in pre-copy it yields the HEADER, the
 * INITIAL data and then DIRTY data as the clock lets the running device dirty it, and has a
 * temporary end whenever both are drained; after {@link #enterStopCopy()} (or when started in
 * STOP_COPY) nothing more gets dirty, and the rest, the FINAL residue and the END follow, then the
 * true end.
 */
final class SavingStream {
    private final SimulatedDeviceSpec spec;
    private final ContentIdentity content;
    private final Clock clock;
    private final Instant dirtySince;
    private boolean stopCopy;

    private boolean headerSent;
    private long initialSent;
    private long dirtyAccrued;
    private long dirtySent;
    private long finalSent;
    private boolean endSent;
    private int frames;
    private long dataBytes;

    private ByteBuffer frame = ByteBuffer.allocate(0);
    private StreamFrame.Type frameType = StreamFrame.Type.HEADER;

    SavingStream(SimulatedDeviceSpec spec, ContentIdentity content, Clock clock, boolean stopCopy) {
        this.spec = spec;
        this.content = content;
        this.clock = clock;
        this.dirtySince = clock.instant();
        this.stopCopy = stopCopy;
    }

    /** PRE_COPY(_P2P)&gt;STOP_COPY: the device stops, so the dirty data accrued so far is the last. */
    void enterStopCopy() {
        accrue();
        stopCopy = true;
    }

    /** Bytes put into {@code dst}; 0 at the pre-copy temporary end, -1 at the stop-copy end. */
    int read(ByteBuffer dst) {
        int moved = 0;
        while (dst.hasRemaining()) {
            if (!frame.hasRemaining() && !nextFrame()) {
                break;
            }
            int n = Math.min(dst.remaining(), frame.remaining());
            dst.put(StreamFrame.next(frame, n));
            frame.position(frame.position() + n);
            moved += n;
        }
        if (moved == 0 && dst.hasRemaining()) {
            return stopCopy ? -1 : 0;
        }
        return moved;
    }

    /** Whether a read now would give bytes. */
    boolean readable() {
        accrue();
        return frame.hasRemaining() || !headerSent || initialSent < spec.stateBytes() || dirtySent < dirtyAccrued
                || stopCopy;
    }

    /** PRECOPY_INFO's initial_bytes: the unread stream bytes of the header and the initial data. */
    long initialBytes() {
        long unread = pendingInFrame(StreamFrame.Type.HEADER) + pendingInFrame(StreamFrame.Type.INITIAL);
        return unread + (headerSent ? 0 : headerFrameBytes())
                + StreamFrame.framed(spec.stateBytes() - initialSent, spec.chunkBytes());
    }

    /** PRECOPY_INFO's dirty_bytes: the unread stream bytes of data dirtied since it was sent. */
    long dirtyBytes() {
        accrue();
        return pendingInFrame(StreamFrame.Type.DIRTY) + StreamFrame.framed(dirtyAccrued - dirtySent, spec.chunkBytes());
    }

    /** MIG_DATA_SIZE: the stream bytes a STOP_COPY would still give from here. */
    long stopCopyEstimate() {
        return initialBytes() + dirtyBytes() + pendingInFrame(StreamFrame.Type.FINAL)
                + StreamFrame.framed(spec.residueBytes() - finalSent, spec.chunkBytes())
                + (endSent ? pendingInFrame(StreamFrame.Type.END) : StreamFrame.HEADER_BYTES + 16);
    }

    /** MIG_DATA_SIZE for a device with no saving session: a whole STOP_COPY stream. */
    static long wholeStream(SimulatedDeviceSpec spec, ContentIdentity content) {
        return StreamFrame.HEADER_BYTES + StreamFrame.headerPayloadBytes(spec.model(), content)
                + StreamFrame.framed(spec.stateBytes(), spec.chunkBytes())
                + StreamFrame.framed(spec.residueBytes(), spec.chunkBytes())
                + StreamFrame.HEADER_BYTES + 16;
    }

    private long pendingInFrame(StreamFrame.Type type) {
        return frameType == type ? frame.remaining() : 0;
    }

    private long headerFrameBytes() {
        return StreamFrame.HEADER_BYTES + StreamFrame.headerPayloadBytes(spec.model(), content);
    }

    /** Dirty data accrues at the device's rate while it runs, at most a whole state's worth pending. */
    private void accrue() {
        if (stopCopy || spec.dirtyBytesPerSecond() == 0) {
            return;
        }
        Duration running = Duration.between(dirtySince, clock.instant());
        if (running.isNegative()) {
            return;
        }
        double seconds = running.getSeconds() + running.getNano() / 1e9;
        long total = (long) Math.floor(seconds * spec.dirtyBytesPerSecond());
        dirtyAccrued = Math.max(dirtyAccrued, Math.min(total, dirtySent + spec.stateBytes()));
    }

    private boolean nextFrame() {
        if (!headerSent) {
            ByteBuffer b = StreamFrame.allocate(StreamFrame.headerPayloadBytes(spec.model(), content));
            b.position(StreamFrame.HEADER_BYTES);
            StreamFrame.putHeaderPayload(b, spec.model(), content);
            headerSent = true;
            return emit(b, StreamFrame.Type.HEADER);
        }
        if (initialSent < spec.stateBytes()) {
            int n = chunk(spec.stateBytes() - initialSent);
            ByteBuffer b = data(StreamFrame.Type.INITIAL, initialSent, n);
            initialSent += n;
            return emit(b, StreamFrame.Type.INITIAL);
        }
        accrue();
        if (dirtySent < dirtyAccrued) {
            int n = chunk(dirtyAccrued - dirtySent);
            ByteBuffer b = data(StreamFrame.Type.DIRTY, dirtySent, n);
            dirtySent += n;
            return emit(b, StreamFrame.Type.DIRTY);
        }
        if (!stopCopy) {
            return false;
        }
        if (finalSent < spec.residueBytes()) {
            int n = chunk(spec.residueBytes() - finalSent);
            ByteBuffer b = data(StreamFrame.Type.FINAL, finalSent, n);
            finalSent += n;
            return emit(b, StreamFrame.Type.FINAL);
        }
        if (!endSent) {
            ByteBuffer b = StreamFrame.allocate(16);
            b.position(StreamFrame.HEADER_BYTES);
            b.putLong(frames);
            b.putLong(dataBytes);
            endSent = true;
            return emit(b, StreamFrame.Type.END);
        }
        return false;
    }

    private int chunk(long left) {
        return (int) Math.min(left, spec.chunkBytes());
    }

    private ByteBuffer data(StreamFrame.Type type, long offset, int n) {
        ByteBuffer b = StreamFrame.allocate(n);
        b.position(StreamFrame.HEADER_BYTES);
        StateContent.fill(b, content.key(type), offset, n);
        dataBytes += n;
        return b;
    }

    private boolean emit(ByteBuffer b, StreamFrame.Type type) {
        frame = StreamFrame.seal(b, type, frames++);
        frameType = type;
        return true;
    }
}
