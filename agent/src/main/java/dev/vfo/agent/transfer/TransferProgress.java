package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.AgentEvent.Direction;
import java.util.Objects;

/** Bytes of one transfer moved so far on one side (for DataTransferProgress). */
public record TransferProgress(TransferKey key, Direction direction, long bytes) {
    public TransferProgress {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(direction, "direction");
    }
}
