package dev.vfo.agent.device.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The framing of a simulated device's state stream (opaque to everyone but simulated devices, as
 * a real driver's stream is). A stream is a sequence of frames, each a 24-byte little-endian
 * header followed by its payload:
 *
 * <pre>
 *  0 u32 magic 'VFOS'   4 u16 version (1)   6 u16 type   8 u32 sequence (0, 1, 2, ...)
 * 12 u32 payload length 16 u32 CRC32C of the payload    20 u32 reserved (0)
 * </pre>
 *
 * The first frame is a HEADER (model, origin, seed, generation), then INITIAL, DIRTY and FINAL
 * data frames, and the last an END (frame count before it, data bytes). A destination checks all
 * of it while the bytes arrive ({@link StreamCheck}), so a truncated, reordered, corrupted or
 * foreign stream is refused when the device leaves RESUMING.
 */
final class StreamFrame {
    static final int MAGIC = 0x534F4656; // "VFOS" in little-endian byte order
    static final int VERSION = 1;
    static final int HEADER_BYTES = 24;
    static final int MAX_NAME_BYTES = 1024;
    /** Largest HEADER or END payload a destination accepts (names plus counters). */
    static final int MAX_CONTROL_PAYLOAD = 2 * (2 + MAX_NAME_BYTES) + 16;
    /** Largest data payload a destination accepts. */
    static final int MAX_DATA_PAYLOAD = 16 << 20;

    enum Type {
        HEADER(1),
        INITIAL(2),
        DIRTY(3),
        FINAL(4),
        END(5);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        boolean isData() {
            return this == INITIAL || this == DIRTY || this == FINAL;
        }

        static Optional<Type> fromCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    private StreamFrame() {}

    static ByteBuffer allocate(int payload) {
        return ByteBuffer.allocate(HEADER_BYTES + payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the header for a payload already placed after it, then flips the buffer for reading. */
    static ByteBuffer seal(ByteBuffer frame, Type type, int sequence) {
        int length = frame.position() - HEADER_BYTES;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(frame.array(), frame.arrayOffset() + HEADER_BYTES, length);
        frame.putInt(0, MAGIC);
        frame.putShort(4, (short) VERSION);
        frame.putShort(6, (short) type.code());
        frame.putInt(8, sequence);
        frame.putInt(12, length);
        frame.putInt(16, (int) crc.getValue());
        frame.putInt(20, 0);
        frame.flip();
        return frame;
    }

    /** Bytes of {@code payload} data framed in chunks of at most {@code chunk}. */
    static long framed(long payload, int chunk) {
        if (payload <= 0) {
            return 0;
        }
        long frames = (payload + chunk - 1) / chunk;
        return payload + frames * HEADER_BYTES;
    }

    static int headerPayloadBytes(String model, ContentIdentity content) {
        return 2 + utf8(model).length + 2 + utf8(content.origin()).length + 16;
    }

    static void putHeaderPayload(ByteBuffer b, String model, ContentIdentity content) {
        putName(b, model);
        putName(b, content.origin());
        b.putLong(content.seed());
        b.putLong(content.generation());
    }

    static void putName(ByteBuffer b, String name) {
        byte[] bytes = utf8(name);
        b.putShort((short) bytes.length);
        b.put(bytes);
    }

    /** The next {@code n} bytes of {@code b} as a view; {@code b} itself does not move. */
    static ByteBuffer next(ByteBuffer b, int n) {
        ByteBuffer view = b.duplicate();
        view.limit(view.position() + n);
        return view;
    }

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
