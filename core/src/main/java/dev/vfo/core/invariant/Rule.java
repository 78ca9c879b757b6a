package dev.vfo.core.invariant;

/** The invariants the checker reports, by name. */
public enum Rule {
    /** No device enters STOP or STOP_COPY while a peer of its running instance is in RUNNING or PRE_COPY. */
    STOP_BEFORE_PEERS_QUIESCED,
    /** No device enters RUNNING or PRE_COPY while a peer of its running instance is in STOP, STOP_COPY or RESUMING. */
    RUN_WHILE_PEER_HALTED,
    /** The migration neither completed, rolled back nor failed within the fault bound. */
    NO_TERMINATION,
    /** At the end the VM does not run in exactly one place with all its devices RUNNING. */
    NOT_IN_ONE_PLACE,
    /** A failed migration reported a device state other than the device's real one. */
    UNKNOWN_DEVICE_STATE,
    /** Replaying the recorded log did not rebuild the state the coordinator held. */
    REPLAY_DIVERGED
}
