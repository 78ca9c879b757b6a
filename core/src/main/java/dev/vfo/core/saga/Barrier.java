package dev.vfo.core.saga;

/** The points at which every device of a set must have arrived before any may take the next step. */
public enum Barrier {
    /** Every destination device is in RESUMING: data may be sent. */
    DESTINATION_RESUMING,
    /** Pre-copy converged (or timed out into a forced switch-over). */
    PRE_COPY_DONE,
    /** Every source device is in RUNNING_P2P or PRE_COPY_P2P: none initiates P2P, any may stop. */
    SOURCE_QUIESCED,
    /** Every source device is in STOP_COPY and every stream arrived complete at the destination. */
    DATA_TRANSFERRED,
    /** The commit point: every destination device left RESUMING for STOP (its data loaded). */
    COMMITTED,
    /** Every destination device is in RUNNING_P2P: none is halted, any may run. */
    DESTINATION_P2P,
    /** Every destination device is in RUNNING. */
    DESTINATION_RUNNING,
    /** Every source device is stopped and reset. */
    SOURCE_CLEANED,
    /** Rollback: no source device is halted any more (all RUNNING_P2P or ERROR), destination reset. */
    ROLLBACK_QUIESCED,
    /** Rollback: every source device is RUNNING again. */
    SOURCE_RUNNING
}
