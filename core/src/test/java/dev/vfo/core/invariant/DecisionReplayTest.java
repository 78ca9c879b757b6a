package dev.vfo.core.invariant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaAudit;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.sim.Recording;
import dev.vfo.core.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionReplayTest {

    private static List<String> replay(List<SagaEvent> log) {
        DecisionReplay r = new DecisionReplay(new MigrationSaga());
        List<String> problems = new ArrayList<>();
        log.forEach(e -> r.next(e).ifPresent(problems::add));
        r.end().ifPresent(problems::add);
        return problems;
    }

    @Test
    void agreesWithRederiveOnSimulatedLogs() {
        for (long seed = 1; seed <= 40; seed++) {
            Recording rec = Simulation.record(seed);
            assertThat(SagaAudit.rederive(new MigrationSaga(), rec.log())).isEmpty();
            assertThat(replay(rec.log())).as("seed %d", seed).isEmpty();
            assertThat(rec.produced()).isNotEmpty();
        }
    }

    @Test
    void reportsAnEditedDecisionOnceWhereItHappened() {
        Recording rec = Simulation.record(3);
        List<SagaEvent> log = new ArrayList<>(rec.log());
        int i = indexOf(log, SagaEvent.Kind.PHASE_ENTERED);
        SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) log.get(i);
        log.set(i, new SagaEvent.PhaseEntered(p.migration(), p.phase(), p.at().plusMillis(1)));
        List<String> problems = replay(log);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("log entry " + i).contains("decides");
    }

    @Test
    void reportsADroppedDecisionAndAnUnrecordedOne() {
        Recording rec = Simulation.record(3);
        List<SagaEvent> dropped = new ArrayList<>(rec.log());
        int i = indexOf(dropped, SagaEvent.Kind.COMMAND_ISSUED);
        dropped.remove(i);
        assertThat(replay(dropped)).isNotEmpty();
        List<SagaEvent> extra = new ArrayList<>(rec.log());
        extra.add(0, extra.get(i));
        assertThat(replay(extra)).first().asString().contains("log entry 0");
    }

    private static int indexOf(List<SagaEvent> log, SagaEvent.Kind kind) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).kind() == kind) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " in " + Optional.of(log.size()));
    }
}
