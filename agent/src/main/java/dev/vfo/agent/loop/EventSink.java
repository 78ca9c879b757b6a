package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;

/** Where the agent's events go: the device-events topic (tests use a list). */
public interface EventSink {

    /**
     * Sends {@code event}, in order per VM. A device event is acknowledged when this returns (the
     * caller may then move the device again); it throws if the event could not be delivered, and
     * the journal keeps the event for the next run. Other events (heartbeats) may still be in flight.
     */
    void send(AgentEvent event);

    /** Returns once every event sent so far is acknowledged; throws if any device event could not be written. */
    void flush();

    /**
     * Stops waiting for Kafka: a delivery in progress, and every later one, fails at once. For a
     * shutdown that must not hang on an unreachable broker; a sink that never waits ignores it.
     */
    default void abandon() {
    }
}
