package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.VmId;
import java.util.Objects;

/**
 * A coordinator-log record's place in its VM's hash chain, readable even when the event inside is
 * of a type this version does not know (so an audit can verify the chain of any version's log).
 */
public record ChainLink(VmId vm, long sequence, Digest previous) {
    public ChainLink {
        Objects.requireNonNull(vm);
        Objects.requireNonNull(previous);
    }
}
