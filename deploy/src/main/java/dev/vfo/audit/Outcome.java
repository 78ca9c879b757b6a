package dev.vfo.audit;

/** How a migration ended, as the log shows it. */
public enum Outcome {
    COMPLETED,
    ROLLED_BACK,
    FAILED,
    /** The plan was refused; nothing moved. */
    REJECTED,
    /** Not ended, and the saga's next deadline has not passed: still running. */
    IN_FLIGHT,
    /** Not ended, and its deadline has passed (or the log ends without one): a violation. */
    STUCK
}
