package dev.vfo.agent.device.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Decodes a resumed stream while it is written, in any segmentation, holding only a frame header
 * and at most one control payload: checks magic, version, types, sequence, lengths, each payload's
 * CRC32C, the HEADER (first, once, of this device's model) and the END (last, with matching
 * counts). The first problem is kept with its stream offset; {@link #finish()} gives the verdict.
 */
final class StreamCheck {
    private final String model;
    private final ByteBuffer header = ByteBuffer.allocate(StreamFrame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    private String problem;
    private long offset;
    private boolean inPayload;
    private StreamFrame.Type type;
    private long payloadLeft;
    private long frameLength;
    private int expectedCrc;
    private ByteBuffer control;

    private int frames;
    private long dataBytes;
    private ContentIdentity content;
    private boolean ended;

    StreamCheck(String model) {
        this.model = model;
    }

    /** Consumes all of {@code src}'s remaining bytes. */
    void accept(ByteBuffer src) {
        while (src.hasRemaining()) {
            if (problem != null) {
                offset += src.remaining();
                src.position(src.limit());
                return;
            }
            if (ended) {
                fail("bytes after the END frame");
                continue;
            }
            if (!inPayload) {
                int n = Math.min(header.remaining(), src.remaining());
                header.put(StreamFrame.next(src, n));
                src.position(src.position() + n);
                offset += n;
                if (!header.hasRemaining()) {
                    startFrame();
                }
            } else {
                int n = (int) Math.min(payloadLeft, src.remaining());
                ByteBuffer part = StreamFrame.next(src, n);
                if (control != null) {
                    control.put(part.duplicate());
                }
                crc.update(part);
                src.position(src.position() + n);
                offset += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    endFrame();
                }
            }
        }
    }

    StreamVerdict finish() {
        if (problem != null) {
            return new StreamVerdict.Invalid(problem);
        }
        if (inPayload || header.position() != 0) {
            return new StreamVerdict.Invalid("the stream ends inside frame " + frames + " at byte " + offset);
        }
        if (!ended) {
            return new StreamVerdict.Invalid(frames == 0 ? "the stream is empty"
                    : "the stream has no END frame after " + frames + " frames (" + offset + " bytes)");
        }
        return new StreamVerdict.Valid(content, frames, dataBytes);
    }

    private void startFrame() {
        header.flip();
        long at = offset - StreamFrame.HEADER_BYTES;
        int magic = header.getInt(0);
        int version = header.getShort(4) & 0xffff;
        int code = header.getShort(6) & 0xffff;
        long sequence = Integer.toUnsignedLong(header.getInt(8));
        long length = Integer.toUnsignedLong(header.getInt(12));
        expectedCrc = header.getInt(16);
        int reserved = header.getInt(20);
        header.clear();
        if (magic != StreamFrame.MAGIC) {
            fail("bad frame magic 0x" + Integer.toHexString(magic) + " at byte " + at);
            return;
        }
        if (version != StreamFrame.VERSION || reserved != 0) {
            fail("unsupported frame version " + version + " (reserved " + reserved + ") at byte " + at);
            return;
        }
        type = StreamFrame.Type.fromCode(code).orElse(null);
        if (type == null) {
            fail("unknown frame type " + code + " at byte " + at);
            return;
        }
        if (sequence != frames) {
            fail("frame " + sequence + " where frame " + frames + " was due, at byte " + at);
            return;
        }
        if (frames == 0 && type != StreamFrame.Type.HEADER) {
            fail("the stream starts with a " + type + " frame, not a HEADER");
            return;
        }
        if (frames > 0 && type == StreamFrame.Type.HEADER) {
            fail("a second HEADER frame at byte " + at);
            return;
        }
        long max = type.isData() ? StreamFrame.MAX_DATA_PAYLOAD : StreamFrame.MAX_CONTROL_PAYLOAD;
        if (length > max) {
            fail(type + " frame of " + length + " bytes (at most " + max + ") at byte " + at);
            return;
        }
        control = type.isData() ? null : ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        crc.reset();
        payloadLeft = length;
        frameLength = length;
        inPayload = true;
        if (length == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        inPayload = false;
        if ((int) crc.getValue() != expectedCrc) {
            fail("CRC32C mismatch in " + type + " frame " + frames + " ending at byte " + offset);
            return;
        }
        switch (type) {
            case HEADER:
                readHeader();
                break;
            case END:
                readEnd();
                break;
            default:
                dataBytes += frameLength;
                break;
        }
        frames++;
    }

    private void readHeader() {
        control.flip();
        try {
            String m = name();
            String origin = name();
            long seed = control.getLong();
            long generation = control.getLong();
            if (control.hasRemaining()) {
                fail("HEADER frame has " + control.remaining() + " trailing bytes");
                return;
            }
            if (!m.equals(model)) {
                fail("the stream is of model '" + m + "', this device is '" + model + "'");
                return;
            }
            content = new ContentIdentity(origin, seed, generation);
        } catch (RuntimeException e) {
            fail("HEADER frame does not decode: " + e.getMessage());
        }
    }

    private void readEnd() {
        control.flip();
        if (control.remaining() != 16) {
            fail("END frame of " + control.remaining() + " bytes, not 16");
            return;
        }
        long declaredFrames = control.getLong();
        long declaredBytes = control.getLong();
        if (declaredFrames != frames || declaredBytes != dataBytes) {
            fail("END declares " + declaredFrames + " frames and " + declaredBytes + " data bytes, the stream had "
                    + frames + " and " + dataBytes);
            return;
        }
        ended = true;
    }

    private String name() {
        int length = control.getShort() & 0xffff;
        byte[] bytes = new byte[length];
        control.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void fail(String reason) {
        if (problem == null) {
            problem = reason;
        }
    }
}
