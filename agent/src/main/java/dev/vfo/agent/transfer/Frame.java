package dev.vfo.agent.transfer;

import java.util.Objects;

/** One decoded frame: its type and its whole payload (bounded by the type's maximum). */
record Frame(FrameType type, byte[] payload) {
    Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }
}
