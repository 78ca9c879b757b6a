package dev.vfo.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One server-sent event as the coordinator's stream carries it: {@code id} (the migration's event
 * sequence), {@code event} (the saga event's kind) and one {@code data} line of JSON.
 */
public record ServerSentEvent(Optional<String> id, String event, String data) {
    public ServerSentEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Assembles events from stream lines as the HTML standard's parsing rules say, for the parts
     * the coordinator uses: field lines until a blank line dispatch one event; comment lines
     * (heartbeats) and unknown fields are ignored; several data lines join with a line feed; an
     * event without data is not dispatched.
     */
    public static final class Parser {
        private final Consumer<ServerSentEvent> sink;
        private Optional<String> id = Optional.empty();
        private String event = "message";
        private final List<String> data = new ArrayList<>();

        public Parser(Consumer<ServerSentEvent> sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        public void line(String line) {
            if (line.isEmpty()) {
                dispatch();
                return;
            }
            if (line.startsWith(":")) {
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = Optional.of(value);
                case "event" -> event = value;
                case "data" -> data.add(value);
                default -> { } // retry and extensions: nothing the demo needs
            }
        }

        private void dispatch() {
            if (!data.isEmpty()) {
                sink.accept(new ServerSentEvent(id, event, String.join("\n", data)));
            }
            event = "message";
            data.clear();
        }
    }
}
