package dev.vfo.agent.transfer;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encoding of the transfer wire protocol's frames: {@code [u8 type][u32 big-endian payload
 * length][payload]}, strings as {@code [u16 length][UTF-8]}. One place, so both directions and the
 * tests speak exactly the same bytes.
 */
final class Wire {
    /** "VFOT": the first four payload bytes of every HELLO. */
    static final int MAGIC = 0x56464f54;
    static final int VERSION = 1;
    static final int HEAD_BYTES = 5;
    /** The largest DATA payload a receiver takes; senders' chunks are at most this. */
    static final int MAX_DATA_PAYLOAD = 4 << 20;
    static final int MAX_CONTROL_PAYLOAD = 16 << 10;
    /** Reasons are cut to this many characters so an ABORT or REJECT always fits its frame. */
    static final int MAX_REASON_CHARS = 2_000;

    private Wire() {}

    static Buffer frame(FrameType type, byte[] payload) {
        if (payload.length < type.minPayload || payload.length > type.maxPayload) {
            throw new IllegalArgumentException(type + " payload of " + payload.length + " bytes");
        }
        return Buffer.buffer(HEAD_BYTES + payload.length).appendByte((byte) type.code).appendInt(payload.length)
                .appendBytes(payload);
    }

    /**
     * A DATA frame from {@code chunk}, whose first {@link #HEAD_BYTES} are left free for the head
     * and whose next {@code count} bytes are the payload: the chunk is copied once, into the frame.
     */
    static Buffer data(byte[] chunk, int count) {
        if (count < 1 || count > MAX_DATA_PAYLOAD) {
            throw new IllegalArgumentException("DATA payload of " + count + " bytes");
        }
        ByteBuffer.wrap(chunk, 0, HEAD_BYTES).put((byte) FrameType.DATA.code).putInt(count);
        return Buffer.buffer(HEAD_BYTES + count).appendBytes(chunk, 0, HEAD_BYTES + count);
    }

    static Buffer text(FrameType type, String reason) {
        String cut = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
        byte[] utf8 = cut.getBytes(StandardCharsets.UTF_8);
        return frame(type, ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array());
    }

    static Buffer abort(String reason) {
        return text(FrameType.ABORT, reason);
    }

    static String text(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        String s = string(b);
        if (b.hasRemaining()) {
            throw new ProtocolViolation(b.remaining() + " bytes after the text of a frame");
        }
        return s;
    }

    static void putString(ByteBuffer b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) utf8.length).put(utf8);
    }

    static int stringBytes(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    static String string(ByteBuffer b) {
        if (b.remaining() < 2) {
            throw new ProtocolViolation("a string's length is cut off");
        }
        int length = b.getShort() & 0xffff;
        if (b.remaining() < length) {
            throw new ProtocolViolation("a string of " + length + " bytes with " + b.remaining() + " left");
        }
        byte[] utf8 = new byte[length];
        b.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
