package dev.vfo.agent.device.sim;

/**
 * Where a simulated device is left after a failed arc: still in the arc's source state (the
 * driver undid its work), or ERROR (the driver gave up; only a reset recovers, to RUNNING).
 */
public enum AfterFailure {
    STAY,
    ERROR
}
