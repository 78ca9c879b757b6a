package dev.vfo.agent.transfer;

/**
 * The peer sent something the wire protocol does not allow. Thrown only inside this package by the
 * decoders and caught where a connection handles a frame, which turns it into a failure outcome
 * (or a rejection) carrying the message.
 */
final class ProtocolViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
