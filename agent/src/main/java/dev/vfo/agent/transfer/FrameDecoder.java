package dev.vfo.agent.transfer;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Cuts frames out of the bytes a socket delivers, in any segmentation, holding at most one frame
 * head and one payload (bounded by {@link FrameType}). It stops after each complete frame so the
 * caller can act on it (and hold the socket) before feeding more.
 */
final class FrameDecoder {
    private final byte[] head = new byte[Wire.HEAD_BYTES];
    private int headFill;
    private FrameType type;
    private byte[] payload;
    private int payloadFill;
    private Frame ready;
    private long frames;

    /**
     * Consumes {@code src} from {@code from} until one frame is complete or {@code src} is used up.
     *
     * @return the offset in {@code src} reached
     * @throws ProtocolViolation for an unknown frame type or a payload length out of bounds
     */
    int feed(Buffer src, int from) {
        int at = from;
        int end = src.length();
        while (at < end && ready == null) {
            if (payload == null) {
                int n = Math.min(Wire.HEAD_BYTES - headFill, end - at);
                src.getBytes(at, at + n, head, headFill);
                headFill += n;
                at += n;
                if (headFill == Wire.HEAD_BYTES) {
                    startFrame();
                }
            } else {
                int n = Math.min(payload.length - payloadFill, end - at);
                src.getBytes(at, at + n, payload, payloadFill);
                payloadFill += n;
                at += n;
                if (payloadFill == payload.length) {
                    completeFrame();
                }
            }
        }
        return at;
    }

    /** The frame the last {@link #feed} completed, once. */
    Optional<Frame> take() {
        Frame f = ready;
        ready = null;
        return Optional.ofNullable(f);
    }

    /** True between the first byte of a frame and its last: the stream would end cut off. */
    boolean midFrame() {
        return headFill > 0 || payload != null;
    }

    private void startFrame() {
        headFill = 0;
        int code = head[0] & 0xff;
        long length = ((head[1] & 0xffL) << 24) | ((head[2] & 0xffL) << 16) | ((head[3] & 0xffL) << 8)
                | (head[4] & 0xffL);
        type = FrameType.fromCode(code).orElseThrow(
                () -> new ProtocolViolation("unknown frame type " + code + " as frame " + frames));
        if (length < type.minPayload || length > type.maxPayload) {
            throw new ProtocolViolation(type + " frame with a payload of " + length + " bytes (allowed "
                    + type.minPayload + ".." + type.maxPayload + ") as frame " + frames);
        }
        payload = new byte[(int) length];
        payloadFill = 0;
        if (length == 0) {
            completeFrame();
        }
    }

    private void completeFrame() {
        ready = new Frame(type, payload);
        payload = null;
        frames++;
    }
}
