package dev.vfo.agent.transfer;

import java.util.Objects;

/**
 * A connection the receiver turned away before any data reached a device: nobody expects that
 * stream (wrong migration, device, host or epoch), it is already being received, or the peer does
 * not speak the protocol. {@code stream} describes what the HELLO claimed, if one came.
 */
public record Rejection(String remote, String stream, String reason) {
    public Rejection {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(reason, "reason");
    }
}
