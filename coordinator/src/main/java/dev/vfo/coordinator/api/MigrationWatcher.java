package dev.vfo.coordinator.api;

/**
 * Receives one migration's events. The desk calls it one call at a time, in sequence order, from
 * any thread, and must not be blocked by it: implementations only hand the event on.
 */
public interface MigrationWatcher {
    void onEvent(MigrationEvent event);

    /** The migration ended (after its terminal event) or the desk stops watching; no call follows. */
    void onEnd();
}
