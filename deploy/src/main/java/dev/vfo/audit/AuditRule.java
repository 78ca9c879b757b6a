package dev.vfo.audit;

/** Every rule the audit checks, by name; each violation names exactly one. */
public enum AuditRule {
    /** A device changed state along something that is no kernel arc its registered flags allow. */
    ILLEGAL_ARC("a device transition is not an arc the device's flags allow"),
    /** A device of the running instance entered STOP or STOP_COPY while a peer could still initiate P2P DMA. */
    STOP_BEFORE_PEERS_QUIESCED("a device stopped while a peer of its running instance could still initiate P2P"),
    /** A device of the running instance entered RUNNING or PRE_COPY while a peer was halted. */
    RUN_WHILE_PEER_HALTED("a device started running while a peer of its running instance was halted"),
    /** A migration neither ended nor is still within a live deadline. */
    MIGRATION_STUCK("a migration neither ended nor is within a live deadline"),
    /** At the end of a migration the VM does not run in exactly one place with every device RUNNING. */
    NOT_IN_ONE_PLACE("the VM does not end running in exactly one place"),
    /**
     * A FAILED migration lists a device whose agent's last reported state is neither the listed state
     * nor the target of the device's listed unanswered command, or omits a device.
     */
    FAILED_STATE_MISREPORTED("a failed migration reports a device state that is neither the agent's last report"
            + " nor its unanswered command's target"),
    /** A recorded decision differs from the one re-derived by replaying the recorded inputs through core. */
    DECISION_MISMATCH("a recorded decision differs from the one replaying the inputs re-derives"),
    /** A coordinator-log entry does not continue its VM's hash chain (sequence or previous hash). */
    CHAIN_BROKEN("a VM's hash chain is broken"),
    /** A device's event sequence skips numbers: events are missing. */
    SEQUENCE_GAP("a device's event sequence has a gap"),
    /** A device's event sequence repeats or goes back. */
    SEQUENCE_REPEAT("a device's event sequence repeats"),
    /** A device event that its registering agent did not produce. */
    FORGED_DEVICE_EVENT("a device event was not produced by the agent that registered the device"),
    /** A record of an audited topic cannot be decoded and no dead letter holds it (dead-lettered ones are quarantined). */
    UNDECODABLE_RECORD("a record of an audited topic does not decode and was not dead-lettered"),
    /** A dead letter claims a record of an audited topic that is not an undecodable record with the letter's bytes. */
    FORGED_DEAD_LETTER("a dead letter claims a record that is not there with its bytes or that decodes");

    private final String summary;

    AuditRule(String summary) {
        this.summary = summary;
    }

    /** One line that says what the rule forbids. */
    public String summary() {
        return summary;
    }
}
