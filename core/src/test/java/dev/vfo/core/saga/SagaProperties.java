package dev.vfo.core.saga;

import static dev.vfo.core.saga.SagaFixture.DST;
import static dev.vfo.core.saga.SagaFixture.DST_AGENT;
import static dev.vfo.core.saga.SagaFixture.MIG;
import static dev.vfo.core.saga.SagaFixture.SRC;
import static dev.vfo.core.saga.SagaFixture.SRC_AGENT;
import static dev.vfo.core.saga.SagaFixture.VM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over arbitrary input histories: agents that answer, fail, repeat themselves or
 * stay silent, timers, takeovers, cancels and heartbeats in any order.
 */
class SagaProperties {

    @Property(tries = 300)
    void replayingAnyRecordedLogRebuildsTheStateAndReDerivesEveryDecision(
            @ForAll @IntRange(min = 1, max = 4) int devices, @ForAll("scripts") List<Integer> script) {
        SagaFixture f = run(devices, script);
        assertThat(f.saga.fold(f.saga.initialState(), f.log)).isEqualTo(f.state);
        assertThat(SagaAudit.rederive(f.saga, f.log)).isEmpty();
    }

    @Property(tries = 200)
    void decisionsAreAFunctionOfStateAndInput(@ForAll @IntRange(min = 1, max = 4) int devices,
            @ForAll("scripts") List<Integer> script, @ForAll @IntRange(min = 0, max = 10_000) int laterMillis) {
        SagaFixture f = run(devices, script);
        SagaInput timer = new SagaInput.Timer(f.now().plusMillis(laterMillis));
        assertThat(new MigrationSaga().decide(timer, f.state)).isEqualTo(f.saga.decide(timer, f.state));
    }

    @Property(tries = 200)
    void everyCommandIsOneArcOrAResetAndNoIdRepeats(@ForAll @IntRange(min = 1, max = 4) int devices,
            @ForAll("scripts") List<Integer> script) {
        SagaFixture f = run(devices, script);
        List<AgentCommand> commands = SagaFixture.commands(f.log);
        assertThat(commands.stream().map(AgentCommand::id).distinct().count()).isEqualTo(commands.size());
    }

    @Provide
    Arbitrary<List<Integer>> scripts() {
        return Arbitraries.integers().between(0, 9).list().ofMaxSize(120);
    }

    /** Interprets a script: each number is one thing that happens to the saga. */
    static SagaFixture run(int devices, List<Integer> script) {
        SagaFixture f = new SagaFixture().devices(devices, MigrationCapability.STOP_COPY_P2P_PRE_COPY.bits());
        List<AgentCommand> open = new ArrayList<>(SagaFixture.commands(f.start(MigrationPolicy.defaults())));
        List<AgentEvent> said = new ArrayList<>();
        long epoch = 1;
        for (int step : script) {
            f.advance(Duration.ofMillis(37));
            List<SagaEvent> out;
            switch (step) {
                case 0, 1, 2 -> {
                    if (open.isEmpty()) {
                        continue;
                    }
                    AgentCommand c = open.remove(0);
                    int before = f.log.size();
                    out = f.answerOne(c);
                    f.log.subList(before, f.log.size()).stream()
                            .filter(e -> e instanceof SagaEvent.DeviceReported)
                            .forEach(e -> said.add(((SagaEvent.DeviceReported) e).event()));
                }
                case 3 -> {
                    if (open.isEmpty() || !(open.get(0) instanceof AgentCommand.TransitionDevice t)) {
                        continue;
                    }
                    open.remove(0);
                    MigrationState back = step % 2 == 0 ? MigrationState.ERROR : f.real().get(t.device());
                    f.putReal(t.device(), back);
                    out = f.report(new AgentEvent.TransitionFailed(t.host(), SagaFixture.agentOf(t.host()), VM,
                            t.device(), f.next(t.device()), f.now(), Optional.of(t.id()), f.real().get(t.device()),
                            t.target(), 5, back, "injected"));
                }
                case 4 -> {
                    if (said.isEmpty()) {
                        continue;
                    }
                    out = f.report(said.get(said.size() - 1)); // a duplicate
                }
                case 5 -> {
                    open.clear(); // lost: only the deadline brings them back
                    f.advance(Duration.ofSeconds(6));
                    out = f.when(new SagaInput.Timer(f.now()));
                }
                case 6 -> out = f.when(new SagaInput.Takeover(++epoch, f.now()));
                case 7 -> out = f.when(new SagaInput.Cancel(MIG, "operator", f.now()));
                case 8 -> {
                    List<AgentEvent.DeviceStatus> st = new ArrayList<>();
                    for (int i = 0; i < devices; i++) {
                        DeviceId d = SagaFixture.src(i);
                        st.add(new AgentEvent.DeviceStatus(d, f.real().get(d), f.sequence(d)));
                    }
                    out = f.report(new AgentEvent.AgentHeartbeat(SRC, SRC_AGENT, VM, f.now(), 1, st));
                }
                default -> out = f.report(new AgentEvent.DeviceStateChanged(DST, DST_AGENT, VM,
                        new DeviceId("ghost"), 1, f.now(), Optional.empty(), MigrationState.RUNNING, MigrationState.STOP,
                        f.now(), 0, Optional.empty()));
            }
            open.addAll(SagaFixture.commands(out));
        }
        return f;
    }
}
