package dev.vfo.schemas.chain;

import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.codec.Digest;
import java.util.Objects;

/** The end of one VM's chain: its last sequence number and that entry's hash (the next entry's {@code previous}). */
public record ChainHead(VmId vm, long sequence, Digest hash) {
    public ChainHead {
        Objects.requireNonNull(vm);
        Objects.requireNonNull(hash);
    }

    /** Before a VM's first entry: sequence 0, the all-zero hash. */
    public static ChainHead genesis(VmId vm) {
        return new ChainHead(vm, 0, Digest.ZERO);
    }
}
