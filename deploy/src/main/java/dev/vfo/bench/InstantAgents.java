package dev.vfo.bench;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.ActiveMigration;
import dev.vfo.core.saga.DevicePair;
import dev.vfo.core.saga.MigrationPolicy;
import dev.vfo.core.saga.MigrationRequest;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One VM's saga driven in memory by agents whose devices take no time: every command is answered
 * at once (1 ms of simulated clock per answer) with the event a well-behaved agent would report.
 * It is the zero-latency device model of the suite: what remains is the orchestration's own cost.
 *
 * <p>Pure and single-threaded (the saga's clock is the simulated one), so a VM driven twice the
 * same way ends in equal states. Not thread-safe.
 */
public final class InstantAgents {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String MODEL = "15b3:101e";
    /** The common multi-device capability (P2P, no PRE_COPY): the barrier is exercised, pre-copy is not. */
    public static final long P2P = MigrationCapability.STOP_COPY_P2P.bits();

    private final MigrationSaga saga = new MigrationSaga();
    private final VmId vm;
    private final MigrationId migration;
    private final HostId source;
    private final HostId destination;
    private final AgentId sourceAgent;
    private final AgentId destinationAgent;
    private final int devices;
    private final Map<DeviceId, MigrationState> real = new HashMap<>();
    private final Map<DeviceId, Long> sequence = new HashMap<>();
    private final Map<DeviceId, String> sent = new HashMap<>();
    /** Commands issued and not answered yet, in issue order. */
    private final Deque<AgentCommand> pending = new ArrayDeque<>();
    /** Streams that cannot finish until their device reached STOP_COPY. */
    private final List<AgentCommand> deferred = new ArrayList<>();
    private final Consumer<SagaEvent> log;
    private final Optional<CoordinatorWork> work;
    private ChainHead head;
    private SagaState state;
    private long millis;
    private long events;

    /** A VM {@code name} with {@code devices} source devices on one host and as many destination devices on another. */
    public InstantAgents(String name, int devices) {
        this(name, devices, e -> { }, Optional.empty());
    }

    /** The same, handing every event the saga decides to {@code log}, in log order (as the coordinator appends them). */
    public InstantAgents(String name, int devices, Consumer<SagaEvent> log) {
        this(name, devices, log, Optional.empty());
    }

    /** The same, timing the coordinator's side of every input into {@code work}. */
    public InstantAgents(String name, int devices, Consumer<SagaEvent> log, Optional<CoordinatorWork> work) {
        this.log = log;
        this.work = work;
        this.vm = new VmId(name);
        this.head = ChainHead.genesis(vm);
        this.migration = new MigrationId("mig-" + name);
        this.source = new HostId("src-" + name.hashCode() % 64);
        this.destination = new HostId("dst-" + name.hashCode() % 64);
        this.sourceAgent = new AgentId("agent-" + source.value());
        this.destinationAgent = new AgentId("agent-" + destination.value());
        this.devices = devices;
        this.state = saga.initialState();
        when(new SagaInput.Takeover(1, now()));
        for (int i = 0; i < devices; i++) {
            register(source, sourceAgent, src(i));
            register(destination, destinationAgent, dst(i));
        }
    }

    public MigrationSaga saga() {
        return saga;
    }

    public SagaState state() {
        return state;
    }

    public VmId vm() {
        return vm;
    }

    /** How many saga events the log holds so far. */
    public long events() {
        return events;
    }

    public Optional<Phase> phase() {
        return state.active().map(ActiveMigration::phase);
    }

    public Instant now() {
        return T0.plusMillis(millis);
    }

    public DeviceId src(int i) {
        return new DeviceId(vm.value() + "-src-" + i);
    }

    public DeviceId dst(int i) {
        return new DeviceId(vm.value() + "-dst-" + i);
    }

    /** Pre-copy off: the devices do not advertise it anyway, and it would only add timer-driven rounds. */
    public static MigrationPolicy policy() {
        MigrationPolicy p = MigrationPolicy.defaults();
        return new MigrationPolicy(p.stepDeadline(), p.transferDeadline(), p.maxAttempts(), false, p.maxPreCopy(),
                p.onPreCopyTimeout(), p.bandwidthBytesPerSecond(), p.downtimeBudget(), p.silenceLimit());
    }

    public MigrationRequest request() {
        List<DevicePair> pairs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            pairs.add(new DevicePair(src(i), dst(i)));
        }
        return new MigrationRequest(migration, vm, source, destination, pairs, policy());
    }

    public List<SagaEvent> start() {
        return when(new SagaInput.Start(request(), now()));
    }

    /** decide + fold, the coordinator's work for one input; commands issued join {@link #pending}. */
    public List<SagaEvent> when(SagaInput input) {
        return when(input, 0, 0);
    }

    /** {@code chargedNanos}, {@code chargedCpu}: coordinator work already done for this input (decoding it). */
    private List<SagaEvent> when(SagaInput input, long chargedNanos, long chargedCpu) {
        Optional<Phase> before = work.isPresent() ? phase() : Optional.empty();
        long start = work.isPresent() ? System.nanoTime() : 0;
        long cpuStart = work.isPresent() ? CoordinatorWork.cpuNow() : 0;
        List<SagaEvent> out = saga.decide(input, state);
        state = saga.fold(state, out);
        if (work.isPresent()) {
            if (work.get().wire()) {
                for (SagaEvent e : out) {
                    head = HashChain.append(head, e).head();
                    if (e.kind() == SagaEvent.Kind.COMMAND_ISSUED) {
                        LogCodec.encode(((SagaEvent.CommandIssued) e).command());
                    }
                }
            }
            work.get().add(before, chargedNanos + System.nanoTime() - start,
                    chargedCpu + CoordinatorWork.cpuNow() - cpuStart, true,
                    input.kind() == SagaInput.Kind.REPORT);
        }
        events += out.size();
        for (SagaEvent e : out) {
            log.accept(e);
            if (e.kind() == SagaEvent.Kind.COMMAND_ISSUED) {
                pending.add(((SagaEvent.CommandIssued) e).command());
            }
        }
        return out;
    }

    /** Answers commands until {@code stop} holds or nothing is left to answer. */
    public void answerUntil(Predicate<InstantAgents> stop) {
        int guard = 0;
        while (!stop.test(this) && guard++ < 100_000) {
            if (!step()) {
                return;
            }
        }
    }

    /**
     * Answers the oldest pending command, or retries the streams waiting for STOP_COPY when none
     * is pending; false when nothing could progress (the migration ended or is stuck).
     */
    public boolean step() {
        if (pending.isEmpty()) {
            if (deferred.isEmpty()) {
                return false;
            }
            pending.addAll(deferred);
            int before = deferred.size();
            deferred.clear();
            boolean progressed = false;
            for (int i = 0; i < before && !pending.isEmpty(); i++) {
                progressed |= answer(pending.poll()).isPresent();
            }
            return progressed;
        }
        answer(pending.poll());
        return true;
    }

    /** Runs the whole migration to its end. */
    public void migrate() {
        start();
        answerUntil(a -> a.saga.isTerminal(a.state));
    }

    /** The commands issued and not answered yet. */
    public List<AgentCommand> pending() {
        return List.copyOf(pending);
    }

    /** The report an agent sends when the device of transition {@code c} arrived at its target. */
    public SagaInput.Report reached(AgentCommand.TransitionDevice c) {
        MigrationState from = real.getOrDefault(c.device(), MigrationState.RUNNING);
        return new SagaInput.Report(changed(c, from, c.target()), now());
    }

    /** Answers {@code c} (which must be pending) now and removes it from the pending commands. */
    public void answerNow(AgentCommand c) {
        if (!pending.remove(c)) {
            throw new IllegalArgumentException("not pending: " + c.id());
        }
        answer(c);
    }

    private void register(HostId host, AgentId agent, DeviceId d) {
        real.put(d, MigrationState.RUNNING);
        report(new AgentEvent.DeviceRegistered(host, agent, vm, d, next(d), now(), "0000:01:00.0", "mlx5_vfio_pci",
                MODEL, P2P, 1L << 20, MigrationState.RUNNING, host.value() + ":7000"));
    }

    private long next(DeviceId d) {
        return sequence.merge(d, 1L, Long::sum);
    }

    private AgentId agentOf(HostId host) {
        return host.equals(source) ? sourceAgent : destinationAgent;
    }

    private AgentEvent.DeviceStateChanged changed(AgentCommand.DeviceCommand c, MigrationState from, MigrationState to) {
        return new AgentEvent.DeviceStateChanged(c.host(), agentOf(c.host()), vm, c.device(), next(c.device()), now(),
                Optional.of(c.id()), from, to, now(), 0, Optional.empty());
    }

    /** The agent produces {@code e}; with wire work the coordinator decodes it from its bytes first. */
    private void report(AgentEvent e) {
        if (work.isPresent() && work.get().wire()) {
            byte[] bytes = LogCodec.encode(e);
            long start = System.nanoTime();
            long cpuStart = CoordinatorWork.cpuNow();
            AgentEvent decoded = LogCodec.decodeAgentEvent(bytes).orElseThrow();
            when(new SagaInput.Report(decoded, now()), System.nanoTime() - start, CoordinatorWork.cpuNow() - cpuStart);
            return;
        }
        when(new SagaInput.Report(e, now()));
    }

    /** Carries out one command; empty if it cannot finish yet (a stream waiting for STOP_COPY). */
    private Optional<AgentCommand> answer(AgentCommand c) {
        millis++;
        switch (c.kind()) {
            case TRANSITION_DEVICE: {
                AgentCommand.TransitionDevice t = (AgentCommand.TransitionDevice) c;
                report(changed(t, real.put(t.device(), t.target()), t.target()));
                return Optional.of(c);
            }
            case RESET_DEVICE: {
                AgentCommand.ResetDevice r = (AgentCommand.ResetDevice) c;
                report(changed(r, real.put(r.device(), MigrationState.RUNNING), MigrationState.RUNNING));
                return Optional.of(c);
            }
            case START_DATA_TRANSFER: {
                AgentCommand.StartDataTransfer s = (AgentCommand.StartDataTransfer) c;
                if (real.get(s.device()) != MigrationState.STOP_COPY) {
                    deferred.add(c);
                    return Optional.empty();
                }
                sent.put(s.device(), "sha-" + s.device().value());
                report(new AgentEvent.DataTransferCompleted(s.host(), agentOf(s.host()), vm, s.device(), next(s.device()),
                        now(), migration, s.id(), AgentEvent.Direction.SEND, 2 << 20, sent.get(s.device())));
                return Optional.of(c);
            }
            case ACCEPT_DATA_TRANSFER: {
                AgentCommand.AcceptDataTransfer a = (AgentCommand.AcceptDataTransfer) c;
                String sha = sent.get(a.sourceDevice());
                if (sha == null) {
                    deferred.add(c);
                    return Optional.empty();
                }
                report(new AgentEvent.DataTransferCompleted(a.host(), agentOf(a.host()), vm, a.device(), next(a.device()),
                        now(), migration, a.id(), AgentEvent.Direction.RECEIVE, 2 << 20, sha));
                return Optional.of(c);
            }
            case ABORT_MIGRATION:
                return Optional.of(c);
        }
        throw new IllegalStateException("unknown command kind " + c.kind());
    }
}
