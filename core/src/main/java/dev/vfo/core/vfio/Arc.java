package dev.vfo.core.vfio;

import java.util.Objects;

/**
 * One step a driver performs: a single SET of MIG_DEVICE_STATE between two states that are
 * adjacent in the kernel's FSM for the device's capability.
 *
 * <p>Arcs are only made by {@link MigrationFsm}, so every arc a caller holds is one the kernel
 * walks itself. In particular the blocked requests STOP_COPY&gt;PRE_COPY and
 * STOP_COPY&gt;PRE_COPY_P2P (which spin forever in the kernel before the 2026 fix instead of
 * returning EINVAL) can never be expressed as an arc, so a backend that only sends arcs can never
 * send them.
 */
public final class Arc {
    private final MigrationCapability capability;
    private final MigrationState from;
    private final MigrationState to;

    Arc(MigrationCapability capability, MigrationState from, MigrationState to) {
        this.capability = Objects.requireNonNull(capability);
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
    }

    public MigrationCapability capability() {
        return capability;
    }

    public MigrationState from() {
        return from;
    }

    public MigrationState to() {
        return to;
    }

    /**
     * True for the four arcs on which the kernel returns a new data fd: RUNNING&gt;PRE_COPY,
     * RUNNING_P2P&gt;PRE_COPY_P2P, STOP&gt;STOP_COPY and STOP&gt;RESUMING.
     */
    public boolean opensDataSession() {
        return (from == MigrationState.RUNNING && to == MigrationState.PRE_COPY)
                || (from == MigrationState.RUNNING_P2P && to == MigrationState.PRE_COPY_P2P)
                || (from == MigrationState.STOP && to == MigrationState.STOP_COPY)
                || (from == MigrationState.STOP && to == MigrationState.RESUMING);
    }

    /** True when the arc leaves RESUMING: the driver checks and commits the written state. */
    public boolean commitsResumedData() {
        return from == MigrationState.RESUMING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Arc a && a.capability == capability && a.from == from && a.to == to;
    }

    @Override
    public int hashCode() {
        return Objects.hash(capability, from, to);
    }

    @Override
    public String toString() {
        return from + ">" + to;
    }
}
