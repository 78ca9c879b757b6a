package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;

/** Where the agent's events go: the device-events topic (tests use a list). */
public interface EventSink {

    /** Sends {@code event} (asynchronously; in order per VM). */
    void send(AgentEvent event);

    /** Returns once every event sent so far is acknowledged; throws if any could not be written. */
    void flush();
}
