package dev.vfo.coordinator.api;

/** What the saga does when pre-copy reaches its time limit or stops converging. */
public enum OnPreCopyLimit {
    /** Roll back: the VM keeps running on the source. */
    ABORT,
    /** Stop the VM and transfer what is left, accepting the downtime it costs. */
    SWITCH_OVER
}
