package dev.vfo.core.saga;

/**
 * The phases of one migration, in order. Everything before {@link #RESUME_P2P} is before the
 * commit point and can roll back; see DESIGN.md.
 */
public enum Phase {
    /** Every destination device walks to RESUMING (before any data is sent to it). */
    PREPARE_DESTINATION(false),
    /** Devices with PRE_COPY stream their state while the VM runs, until the policy says switch over. */
    PRE_COPY(false),
    /** Every source device to RUNNING_P2P or PRE_COPY_P2P: none may still initiate P2P DMA. */
    QUIESCE(false),
    /** Every source device to STOP_COPY and its remaining state streamed to the destination. */
    STOP_COPY(false),
    /** Every destination device RESUMING&gt;STOP: the data is checked and loaded. */
    COMMIT(false),
    /** After the commit point: every destination device to RUNNING_P2P. */
    RESUME_P2P(true),
    /** Every destination device to RUNNING: the VM runs on the destination. */
    RESUME(true),
    /** Source devices to STOP and reset: the source instance is gone. */
    CLEANUP_SOURCE(true),
    /** Transfers aborted, destination devices reset, source devices back to RUNNING_P2P. */
    ROLLBACK(false),
    /** Every source device to RUNNING (ERROR ones reset): the VM runs on the source again. */
    ROLLBACK_RESUME(false);

    private final boolean committed;

    Phase(boolean committed) {
        this.committed = committed;
    }

    /** True once the destination has taken over the VM: the migration can no longer roll back. */
    public boolean committed() {
        return committed;
    }

    public boolean rollingBack() {
        return this == ROLLBACK || this == ROLLBACK_RESUME;
    }
}
