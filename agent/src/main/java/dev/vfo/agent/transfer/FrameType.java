package dev.vfo.agent.transfer;

import java.util.Optional;

/**
 * The frames of the transfer wire protocol (see the package documentation), with the payload
 * sizes each may have. The bounds are what keeps a receiver's memory independent of the stream's
 * length and of what a hostile or broken peer announces.
 */
enum FrameType {
    /** Source to destination, first: who is sending what to whom (a {@link Hello}). */
    HELLO(1, 32, Wire.MAX_CONTROL_PAYLOAD),
    /** Source to destination: the next bytes of the device's saving stream. */
    DATA(2, 1, Wire.MAX_DATA_PAYLOAD),
    /** Source to destination, last: the stream's length and SHA-256 (a {@link Digest}). */
    TRAILER(3, Digest.BYTES, Digest.BYTES),
    /** Either way: the sender of this frame gave up; the payload says why. Ends the stream. */
    ABORT(4, 2, Wire.MAX_CONTROL_PAYLOAD),
    /** Destination to source: the HELLO matched an expected transfer; data may flow. */
    ACCEPT(5, 0, 0),
    /** Destination to source: nobody expects this stream; the payload says why. */
    REJECT(6, 2, Wire.MAX_CONTROL_PAYLOAD),
    /** Destination to source: the trailer matched what was written (a {@link Digest}). */
    RECEIVED(7, Digest.BYTES, Digest.BYTES);

    final int code;
    final int minPayload;
    final int maxPayload;

    FrameType(int code, int minPayload, int maxPayload) {
        this.code = code;
        this.minPayload = minPayload;
        this.maxPayload = maxPayload;
    }

    static Optional<FrameType> fromCode(int code) {
        for (FrameType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
