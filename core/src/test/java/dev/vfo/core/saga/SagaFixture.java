package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Given/when/then for the saga: a log and its folded state, devices with their real states, and
 * a well-behaved agent ({@link #answer}) that carries out commands and reports them.
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
    final Map<DeviceId, MigrationState> real = new TreeMap<>();
    final Map<DeviceId, Long> sequence = new HashMap<>();
    final Map<DeviceId, HostId> hostOf = new HashMap<>();
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
        real.put(d, MigrationState.RUNNING);
        hostOf.put(d, host);
        return report(new AgentEvent.DeviceRegistered(host, agent, VM, d, next(d), now(), "0000:01:00.0", "mlx5_vfio_pci",
                model, flags, 1L << 20, MigrationState.RUNNING, host.value() + ":7000"));
    }

    long next(DeviceId d) {
        return sequence.merge(d, 1L, Long::sum);
    }

    MigrationRequest request(MigrationPolicy policy) {
        List<DevicePair> pairs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            pairs.add(new DevicePair(src(i), dst(i)));
        }
        return new MigrationRequest(MIG, VM, SRC, DST, pairs, policy);
    }

    static MigrationPolicy noPreCopy() {
        MigrationPolicy p = MigrationPolicy.defaults();
        return new MigrationPolicy(p.stepDeadline(), p.transferDeadline(), p.maxAttempts(), false, p.maxPreCopy(),
                p.onPreCopyTimeout(), p.bandwidthBytesPerSecond(), p.downtimeBudget(), p.silenceLimit());
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

    AgentEvent.DeviceStateChanged changed(AgentCommand.DeviceCommand c, MigrationState to) {
        MigrationState from = real.put(c.device(), to);
        return new AgentEvent.DeviceStateChanged(c.host(), agentOf(c.host()), VM, c.device(), next(c.device()), now(),
                Optional.of(c.id()), from, to, now(), 0, Optional.empty());
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
     * A well-behaved agent: answers every command issued so far and every command those answers
     * cause, until the saga issues nothing new. Returns everything decided on the way.
     */
    List<SagaEvent> answerAll(List<SagaEvent> issued) {
        return answerUntil(issued, null);
    }

    /** Like {@link #answerAll} but stops as soon as the saga entered {@code phase}. */
    List<SagaEvent> answerUntil(List<SagaEvent> issued, Phase phase) {
        List<SagaEvent> all = new ArrayList<>();
        Deque<AgentCommand> todo = new ArrayDeque<>(commands(issued));
        List<AgentCommand> deferred = new ArrayList<>();
        int guard = 0;
        while ((!todo.isEmpty() || !deferred.isEmpty()) && guard++ < 10_000
                && (phase == null || !phases().contains(phase))) {
            if (todo.isEmpty()) {
                // Streams finish once their device reached STOP_COPY; give them one more look.
                List<AgentCommand> again = new ArrayList<>(deferred);
                deferred.clear();
                boolean progressed = false;
                for (AgentCommand c : again) {
                    List<SagaEvent> out = answer(c, deferred);
                    progressed |= !out.isEmpty();
                    all.addAll(out);
                    todo.addAll(commands(out));
                }
                if (!progressed) {
                    break;
                }
                continue;
            }
            List<SagaEvent> out = answer(todo.poll(), deferred);
            all.addAll(out);
            todo.addAll(commands(out));
        }
        return all;
    }

    private final Map<DeviceId, String> sent = new HashMap<>();

    /** Carries out one command and reports it (a stream that cannot finish yet reports nothing). */
    List<SagaEvent> answerOne(AgentCommand c) {
        return answer(c, new ArrayList<>());
    }

    private List<SagaEvent> answer(AgentCommand c, List<AgentCommand> deferred) {
        advance(Duration.ofMillis(1));
        switch (c.kind()) {
            case TRANSITION_DEVICE: {
                AgentCommand.TransitionDevice t = (AgentCommand.TransitionDevice) c;
                return report(changed(t, t.target()));
            }
            case RESET_DEVICE:
                return report(changed((AgentCommand.ResetDevice) c, MigrationState.RUNNING));
            case START_DATA_TRANSFER: {
                AgentCommand.StartDataTransfer s = (AgentCommand.StartDataTransfer) c;
                if (real.get(s.device()) != MigrationState.STOP_COPY) {
                    deferred.add(c);
                    if (real.get(s.device()).inSavingGroup() && !sent.containsKey(s.device())) {
                        sent.put(s.device(), "");
                        return report(new AgentEvent.PreCopyProgress(SRC, SRC_AGENT, VM, s.device(), next(s.device()),
                                now(), MIG, 1 << 20, 0, 1 << 20, 1 << 20));
                    }
                    return List.of();
                }
                sent.put(s.device(), "sha-" + s.device());
                return report(new AgentEvent.DataTransferCompleted(SRC, SRC_AGENT, VM, s.device(), next(s.device()), now(),
                        MIG, s.id(), AgentEvent.Direction.SEND, 2 << 20, "sha-" + s.device()));
            }
            case ACCEPT_DATA_TRANSFER: {
                AgentCommand.AcceptDataTransfer a = (AgentCommand.AcceptDataTransfer) c;
                String sha = sent.get(a.sourceDevice());
                if (sha == null || sha.isEmpty()) {
                    deferred.add(c);
                    return List.of();
                }
                return report(new AgentEvent.DataTransferCompleted(DST, DST_AGENT, VM, a.device(), next(a.device()), now(),
                        MIG, a.id(), AgentEvent.Direction.RECEIVE, 2 << 20, sha));
            }
            case ABORT_MIGRATION:
                return List.of();
        }
        throw new IllegalStateException();
    }

    List<Phase> phases() {
        return of(log, SagaEvent.PhaseEntered.class).stream().map(SagaEvent.PhaseEntered::phase).toList();
    }
}
