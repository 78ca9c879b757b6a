package dev.vfo.schemas.codec;

/**
 * Thrown by the mappings when a decoded datum cannot become a domain value; {@link LogCodec}
 * turns it into a {@link Decoded.Failed} before it can leave the codec.
 */
final class Refusal extends RuntimeException {
    final transient Failure failure;

    Refusal(Failure.Reason reason, String detail) {
        super(detail, null, false, false);
        this.failure = new Failure(reason, detail);
    }
}
