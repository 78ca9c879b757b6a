package dev.vfo.core.invariant;

import dev.vfo.core.protocol.VmId;
import java.util.Objects;

/** A broken invariant: which rule, for which VM, where in the stream, and what happened. */
public record Violation(Rule rule, VmId vm, long position, String detail) {
    public Violation {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(vm);
        Objects.requireNonNull(detail);
    }

    @Override
    public String toString() {
        return rule + " vm=" + vm + " at " + position + ": " + detail;
    }
}
