package dev.vfo.core.vfio;

import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The four flag combinations the uAPI defines, and the only ones vfo acts on. A device whose
 * flags read as anything else is not migratable (see {@link MigrationFlags#read()}), so every
 * value of this type names a combination whose meaning the kernel documents.
 */
public enum MigrationCapability {
    STOP_COPY(MigrationFlag.STOP_COPY.bit()),
    STOP_COPY_P2P(MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit()),
    STOP_COPY_PRE_COPY(MigrationFlag.STOP_COPY.bit() | MigrationFlag.PRE_COPY.bit()),
    STOP_COPY_P2P_PRE_COPY(
            MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit() | MigrationFlag.PRE_COPY.bit());

    private final long bits;

    MigrationCapability(long bits) {
        this.bits = bits;
    }

    /** The flags word a device reports for this combination. */
    public long bits() {
        return bits;
    }

    public MigrationFlags flags() {
        return new MigrationFlags(bits);
    }

    public boolean has(MigrationFlag flag) {
        return (bits & flag.bit()) != 0;
    }

    /** Whether the state exists on such a device: all of its required bits are set. */
    public boolean supports(MigrationState state) {
        return (state.requiredFlags() & bits) == state.requiredFlags();
    }

    /** The states such a device provides, in kernel value order. ERROR is never among them. */
    public Set<MigrationState> states() {
        EnumSet<MigrationState> states = EnumSet.noneOf(MigrationState.class);
        for (MigrationState s : MigrationState.values()) {
            if (supports(s)) {
                states.add(s);
            }
        }
        return states;
    }

    /** Flags as names joined by {@code |} in the order STOP_COPY|P2P|PRE_COPY. */
    public String label() {
        StringJoiner j = new StringJoiner("|");
        for (MigrationFlag f : MigrationFlag.values()) {
            if (has(f)) {
                j.add(f.name());
            }
        }
        return j.toString();
    }

    /** The combination with exactly these bits, if the uAPI defines one. */
    static java.util.Optional<MigrationCapability> ofBits(long bits) {
        for (MigrationCapability c : values()) {
            if (c.bits == bits) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
