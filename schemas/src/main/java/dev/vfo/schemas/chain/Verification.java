package dev.vfo.schemas.chain;

import dev.vfo.core.protocol.VmId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an audit of a coordinator log found: how many entries it read, every break in a VM's chain,
 * and each VM's head after the last entry (to continue verifying later entries from there).
 */
public record Verification(int entries, List<Break> breaks, Map<VmId, ChainHead> heads) {

    /** One problem: the entry's index in the verified sequence, its VM when readable, and what is wrong. */
    public record Break(int index, Optional<VmId> vm, String problem) {
        public Break {
            Objects.requireNonNull(vm);
            Objects.requireNonNull(problem);
        }
    }

    public Verification {
        breaks = List.copyOf(breaks);
        heads = Map.copyOf(heads);
    }

    public boolean intact() {
        return breaks.isEmpty();
    }
}
