package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSentEventTest {

    private static List<ServerSentEvent> parse(String... lines) {
        List<ServerSentEvent> events = new ArrayList<>();
        ServerSentEvent.Parser parser = new ServerSentEvent.Parser(events::add);
        for (String line : lines) {
            parser.line(line);
        }
        return events;
    }

    @Test
    void theCoordinatorsFramingGivesOneEventPerBlankLine() {
        List<ServerSentEvent> events = parse(": stream open", "", "id: 1", "event: MigrationAccepted",
                "data: {\"sequence\":1}", "", ": heartbeat", "", "id: 2", "event: PhaseChanged", "data: {}", "");
        assertThat(events).containsExactly(
                new ServerSentEvent(Optional.of("1"), "MigrationAccepted", "{\"sequence\":1}"),
                new ServerSentEvent(Optional.of("2"), "PhaseChanged", "{}"));
    }

    @Test
    void dataLinesJoinAndTheKindResetsButTheIdCarriesOver() {
        List<ServerSentEvent> events = parse("id: 7", "event: x", "data:a", "data: b", "", "data: c", "");
        assertThat(events).containsExactly(new ServerSentEvent(Optional.of("7"), "x", "a\nb"),
                new ServerSentEvent(Optional.of("7"), "message", "c"));
    }

    @Test
    void aBlockWithoutDataIsNotAnEventAndAnUnfinishedOneIsNotDispatched() {
        assertThat(parse("event: lonely", "", "retry: 10", "", "data: pending")).isEmpty();
    }
}
