package dev.vfo.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** Test plumbing: moves a saving session's bytes until it pauses or ends, optionally into a resuming one. */
public final class Pump {
    private Pump() {}

    /** Reads until the session says no data now or end of stream; returns that ending. */
    public static ReadResult drain(SavingSession from, ResumingSession to, int bufferBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bufferBytes);
        while (true) {
            buffer.clear();
            ReadResult r = from.read(buffer);
            if (r.kind() != ReadResult.Kind.BYTES) {
                return r;
            }
            buffer.flip();
            if (to != null) {
                while (buffer.hasRemaining()) {
                    Outcome<Integer> w = to.write(buffer);
                    assertThat(w.isDone()).as("write %s", w.describe()).isTrue();
                }
            }
        }
    }
}
