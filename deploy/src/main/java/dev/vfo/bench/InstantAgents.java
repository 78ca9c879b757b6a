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
import dev.vfo.core.sim.FaithfulDevice;
import dev.vfo.core.sim.FaithfulDevices;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One VM's saga driven in memory by agents whose devices take no time ({@link FaithfulDevices}, the
 * project's one faithful-agent model): every command is answered at once (1 ms of simulated clock
 * per answer) with the events a well-behaved agent would report. It is the zero-latency device
 * model of the suite: what remains is the orchestration's own cost.
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
    private final int devices;
    private final FaithfulDevices agents;
    /** Commands issued and not answered yet, in issue order. */
    private final Deque<AgentCommand> pending = new ArrayDeque<>();
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
        this.devices = devices;
        this.agents = new FaithfulDevices(vm);
        this.state = saga.initialState();
        when(new SagaInput.Takeover(1, now()));
        AgentId sourceAgent = new AgentId("agent-" + source.value());
        AgentId destinationAgent = new AgentId("agent-" + destination.value());
        for (int i = 0; i < devices; i++) {
            report(agents.add(source, sourceAgent, src(i), P2P, MODEL, 0, 1L << 20).registered(now()));
            report(agents.add(destination, destinationAgent, dst(i), P2P, MODEL, 0, 1L << 20).registered(now()));
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
        return FaithfulDevices.withoutPreCopy();
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

    /** Answers the oldest pending command; false when none is pending (the migration ended or is stuck). */
    public boolean step() {
        if (pending.isEmpty()) {
            return false;
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

    /** The report an agent sends when the device of transition {@code c} arrived at its target (not applied). */
    public SagaInput.Report reached(AgentCommand.TransitionDevice c) {
        FaithfulDevice d = agents.device(c.device());
        return new SagaInput.Report(d.changed(Optional.of(c.id()), d.state(), c.target(), now(), now()), now());
    }

    /** Answers {@code c} (which must be pending) now and removes it from the pending commands. */
    public void answerNow(AgentCommand c) {
        if (!pending.remove(c)) {
            throw new IllegalArgumentException("not pending: " + c.id());
        }
        answer(c);
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

    private void answer(AgentCommand c) {
        millis++;
        for (AgentEvent e : agents.answer(c, now())) {
            report(e);
        }
    }
}
