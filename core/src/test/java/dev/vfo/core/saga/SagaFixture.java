package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.sim.FaithfulDevices;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Given/when/then for the saga: a log and its folded state, and devices answered by the shared
 * faithful zero-latency agents ({@link FaithfulDevices}) through {@link #answerAll}.
 */
final class SagaFixture {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final VmId VM = new VmId("vm-1");
    static final MigrationId MIG = new MigrationId("mig-1");
    static final HostId SRC = new HostId("src-host");
    static final HostId DST = new HostId("dst-host");
    static final AgentId SRC_AGENT = new AgentId("agent-src");
    static final AgentId DST_AGENT = new AgentId("agent-dst");
    static final String MODEL = "15b3:101e";

    final MigrationSaga saga;
    SagaState state;
    final List<SagaEvent> log = new ArrayList<>();
    final FaithfulDevices agents = new FaithfulDevices(VM);
    long millis;
    int devices;

    SagaFixture() {
        this(new MigrationSaga());
    }

    SagaFixture(MigrationSaga saga) {
        this.saga = saga;
        this.state = saga.initialState();
        when(new SagaInput.Takeover(1, now()));
    }

    Instant now() {
        return T0.plusMillis(millis);
    }

    void advance(Duration d) {
        millis += d.toMillis();
    }

    /** Registers {@code n} source and {@code n} destination devices with these flags. */
    SagaFixture devices(int n, long flags) {
        for (int i = 0; i < n; i++) {
            register(SRC, SRC_AGENT, src(i), flags, MODEL);
            register(DST, DST_AGENT, dst(i), flags, MODEL);
        }
        devices = n;
        return this;
    }

    static DeviceId src(int i) {
        return new DeviceId("src-" + i);
    }

    static DeviceId dst(int i) {
        return new DeviceId("dst-" + i);
    }

    List<SagaEvent> register(HostId host, AgentId agent, DeviceId d, long flags, String model) {
        return report(agents.add(host, agent, d, flags, model, 1 << 20, 1 << 20).registered(now()));
    }

    /** The devices' real states. */
    Map<DeviceId, MigrationState> real() {
        return agents.states();
    }

    /** Puts a device in {@code s} behind the agent's back (a kernel fault). */
    void putReal(DeviceId d, MigrationState s) {
        agents.device(d).state(s);
    }

    long next(DeviceId d) {
        return agents.device(d).nextSequence();
    }

    long sequence(DeviceId d) {
        return agents.device(d).sequence();
    }

    MigrationRequest request(MigrationPolicy policy) {
        List<DevicePair> pairs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            pairs.add(new DevicePair(src(i), dst(i)));
        }
        return new MigrationRequest(MIG, VM, SRC, DST, pairs, policy);
    }

    static MigrationPolicy noPreCopy() {
        return FaithfulDevices.withoutPreCopy();
    }

    List<SagaEvent> start(MigrationPolicy policy) {
        return when(new SagaInput.Start(request(policy), now()));
    }

    List<SagaEvent> when(SagaInput input) {
        List<SagaEvent> events = saga.decide(input, state);
        state = saga.fold(state, events);
        log.addAll(events);
        return events;
    }

    List<SagaEvent> report(AgentEvent e) {
        return when(new SagaInput.Report(e, now()));
    }

    /** The report of {@code c}'s device landing in {@code to} (set as its real state), built by hand. */
    AgentEvent.DeviceStateChanged changed(AgentCommand.DeviceCommand c, MigrationState to) {
        MigrationState from = agents.device(c.device()).state();
        agents.device(c.device()).state(to);
        return agents.device(c.device()).changed(Optional.of(c.id()), from, to, now(), now());
    }

    static AgentId agentOf(HostId host) {
        return host.equals(SRC) ? SRC_AGENT : DST_AGENT;
    }

    static List<AgentCommand> commands(List<SagaEvent> events) {
        List<AgentCommand> out = new ArrayList<>();
        for (SagaEvent e : events) {
            if (e instanceof SagaEvent.CommandIssued c) {
                out.add(c.command());
            }
        }
        return out;
    }

    /** The arcs the log asked of devices on {@code host} toward {@code target}, in order. */
    List<AgentCommand.TransitionDevice> transitions(HostId host, MigrationState target) {
        return commands(log).stream()
                .filter(c -> c instanceof AgentCommand.TransitionDevice t && t.target() == target && t.host().equals(host))
                .map(AgentCommand.TransitionDevice.class::cast).toList();
    }

    static <T extends SagaEvent> List<T> of(List<SagaEvent> events, Class<T> type) {
        List<T> out = new ArrayList<>();
        events.stream().filter(type::isInstance).map(type::cast).forEach(out::add);
        return out;
    }

    /**
     * Faithful agents: answer every command issued so far and every command those answers cause,
     * in issue order, until the saga issues nothing new. Returns everything decided on the way.
     */
    List<SagaEvent> answerAll(List<SagaEvent> issued) {
        return answerUntil(issued, null);
    }

    /** Like {@link #answerAll} but stops as soon as the saga entered {@code phase}. */
    List<SagaEvent> answerUntil(List<SagaEvent> issued, Phase phase) {
        List<SagaEvent> all = new ArrayList<>();
        Deque<AgentCommand> todo = new ArrayDeque<>(commands(issued));
        int guard = 0;
        while (!todo.isEmpty() && guard++ < 10_000 && (phase == null || !phases().contains(phase))) {
            List<SagaEvent> out = answerOne(todo.poll());
            all.addAll(out);
            todo.addAll(commands(out));
        }
        return all;
    }

    /** Carries out one command and reports what the agent says (1 ms of simulated time per command). */
    List<SagaEvent> answerOne(AgentCommand c) {
        advance(Duration.ofMillis(1));
        List<SagaEvent> out = new ArrayList<>();
        for (AgentEvent e : agents.answer(c, now())) {
            out.addAll(report(e));
        }
        return out;
    }

    List<Phase> phases() {
        return of(log, SagaEvent.PhaseEntered.class).stream().map(SagaEvent.PhaseEntered::phase).toList();
    }
}
