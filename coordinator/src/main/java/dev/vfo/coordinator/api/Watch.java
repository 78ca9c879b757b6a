package dev.vfo.coordinator.api;

/** A live subscription to one migration's events. */
public interface Watch {
    /** Stops delivery; idempotent. The watcher's {@code onEnd} is not called for a cancel. */
    void cancel();
}
