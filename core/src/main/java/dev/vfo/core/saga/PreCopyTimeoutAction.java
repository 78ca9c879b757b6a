package dev.vfo.core.saga;

/** What the convergence policy does when pre-copy has run for its maximum time without converging. */
public enum PreCopyTimeoutAction {
    /** Roll back: the source keeps running, nothing is lost. */
    ABORT,
    /** Stop the source anyway and accept a downtime above the budget. */
    SWITCH_OVER
}
