package dev.vfo.agent.device;

import java.nio.ByteBuffer;

/**
 * The resuming data fd: a write-only stream that takes the bytes of one saving session of a
 * compatible device, in order, in any segmentation. The device checks and commits them only when
 * it leaves RESUMING (RESUMING&gt;STOP), so a bad stream fails that arc, not a write.
 */
public non-sealed interface ResumingSession extends DataSession {

    /** Writes some of {@code src}'s remaining bytes, advancing its position; the count written. */
    Outcome<Integer> write(ByteBuffer src);

    @Override
    default Kind kind() {
        return Kind.RESUMING;
    }
}
