package dev.vfo.core.vfio;

import java.util.Optional;

/**
 * The kernel's {@code enum vfio_device_mig_state} (migration protocol v2), with the kernel's
 * numeric values. The value is part of the ABI: it is what VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
 * carries in {@code device_state}.
 */
public enum MigrationState {
    ERROR(0, -1L),
    STOP(1, MigrationFlag.STOP_COPY.bit()),
    RUNNING(2, MigrationFlag.STOP_COPY.bit()),
    STOP_COPY(3, MigrationFlag.STOP_COPY.bit()),
    RESUMING(4, MigrationFlag.STOP_COPY.bit()),
    RUNNING_P2P(5, MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit()),
    PRE_COPY(6, MigrationFlag.STOP_COPY.bit() | MigrationFlag.PRE_COPY.bit()),
    PRE_COPY_P2P(7, MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit() | MigrationFlag.PRE_COPY.bit());

    /** {@code VFIO_DEVICE_STATE_NR}: the number of states, not a state. */
    public static final int COUNT = 8;

    private static final MigrationState[] BY_VALUE = new MigrationState[COUNT];

    static {
        for (MigrationState s : values()) {
            BY_VALUE[s.value] = s;
        }
    }

    private final int value;
    private final long requiredFlags;

    MigrationState(int value, long requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The kernel's numeric value of this state. */
    public int value() {
        return value;
    }

    /**
     * The capability bits a device must report for this state to exist (the kernel's
     * {@code state_flags_table}). ERROR requires every bit ({@code ~0}), so no device supports it
     * as a target.
     */
    public long requiredFlags() {
        return requiredFlags;
    }

    /** The state with this kernel value, or empty for a value the uAPI does not define. */
    public static Optional<MigrationState> fromValue(long value) {
        if (value < 0 || value >= COUNT) {
            return Optional.empty();
        }
        return Optional.of(BY_VALUE[(int) value]);
    }

    /**
     * PRE_COPY, PRE_COPY_P2P and STOP_COPY share one saving session and data fd. The kernel never
     * passes through them in the middle of a path.
     */
    public boolean inSavingGroup() {
        return this == PRE_COPY || this == PRE_COPY_P2P || this == STOP_COPY;
    }

    /**
     * True in the states where the device may initiate new peer-to-peer DMA (RUNNING and
     * PRE_COPY). The P2P barrier requires every device of an instance to have left these states
     * before any device of that instance stops.
     */
    public boolean mayInitiateP2p() {
        return this == RUNNING || this == PRE_COPY;
    }

    /**
     * True in the states where the device is halted (STOP, STOP_COPY, RESUMING): a peer's DMA to
     * it would be lost, so no device of the instance may run while any is in one of these.
     */
    public boolean isHalted() {
        return this == STOP || this == STOP_COPY || this == RESUMING;
    }
}
