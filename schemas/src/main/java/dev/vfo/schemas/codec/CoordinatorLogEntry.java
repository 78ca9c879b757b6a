package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import java.util.Objects;

/**
 * One record of the coordinator log: the VM, its per-VM sequence (from 1), the SHA-256 of the VM's
 * previous record as written (bytes), and the saga event. See {@code dev.vfo.schemas.chain}.
 */
public record CoordinatorLogEntry(VmId vm, long sequence, Digest previous, SagaEvent event) {
    public CoordinatorLogEntry {
        Objects.requireNonNull(vm);
        Objects.requireNonNull(previous);
        Objects.requireNonNull(event);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
    }

    /** The chain position alone. */
    public ChainLink link() {
        return new ChainLink(vm, sequence, previous);
    }
}
