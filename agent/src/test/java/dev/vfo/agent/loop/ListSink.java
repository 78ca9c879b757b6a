package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Events kept in memory; {@link #failNextFlush} makes the next flush fail, as an unreachable Kafka would. */
final class ListSink implements EventSink {
    final List<AgentEvent> sent = new CopyOnWriteArrayList<>();
    volatile boolean failNextFlush;

    @Override
    public void send(AgentEvent event) {
        sent.add(event);
    }

    @Override
    public void flush() {
        if (failNextFlush) {
            failNextFlush = false;
            throw new IllegalStateException("Kafka is unreachable (test)");
        }
    }

    <T extends AgentEvent> List<T> of(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
