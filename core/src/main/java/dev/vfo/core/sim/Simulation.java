package dev.vfo.core.sim;

import dev.vfo.core.invariant.Observed;
import dev.vfo.core.invariant.P2pOrderChecker;
import dev.vfo.core.invariant.Rule;
import dev.vfo.core.invariant.Termination;
import dev.vfo.core.invariant.Violation;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.Barrier;
import dev.vfo.core.saga.DevicePair;
import dev.vfo.core.saga.MigrationRequest;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaAudit;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One seeded run: a coordinator (the saga plus a simulated shell with a durable log), one agent
 * per host driving simulated devices that follow {@link MigrationFsm} arc by arc, a network that
 * loses, duplicates, delays and reorders, crashes of agents and of the coordinator, failing and
 * slow device transitions, and an operator who may cancel. Everything runs on one event loop in
 * simulated time; all randomness comes from one {@link SplittableRandom} seeded by the seed.
 *
 * <p>After every device state change the P2P-order rules are checked on the devices' real states.
 * At the end: termination, the VM in exactly one place (or a failure naming every real device
 * state), the coordinator's state equal to the fold of its log, and every recorded decision
 * re-derived by replaying the recorded inputs through {@code decide}.
 */
public final class Simulation {

    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    /** Simulated time after which a run that has not finished counts as not terminating. */
    static final long TIME_LIMIT_MILLIS = 30 * 60_000L;
    static final long MAX_STEPS = 2_000_000L;
    static final long REQUEST_AT = 100;
    static final long HEARTBEAT_EVERY = 500;

    private final Scenario sc;
    private final MigrationSaga saga;
    private final SplittableRandom rnd;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final P2pOrderChecker checker = new P2pOrderChecker();
    private final List<Violation> violations = new ArrayList<>();
    private final VmId vm;
    private final MigrationId migration;
    private final List<SimAgent> agents = new ArrayList<>();
    private final Coordinator coordinator;
    /** Every event the agents produced, once each, in production order (what the device-events topic holds). */
    private final List<AgentEvent> produced = new ArrayList<>();
    private long now;
    private long taskSeq;
    private long steps;
    private int faults;
    private long endAt = Long.MAX_VALUE;

    private Simulation(Scenario sc, MigrationSaga saga) {
        this.sc = sc;
        this.saga = saga;
        this.rnd = new SplittableRandom(sc.seed() ^ 0x5DEECE66DL);
        this.vm = new VmId("vm-" + sc.seed());
        this.migration = new MigrationId("mig-" + sc.seed());
        this.coordinator = new Coordinator();
    }

    public static SimResult run(long seed) {
        return run(seed, new MigrationSaga());
    }

    public static SimResult run(long seed, MigrationSaga saga) {
        return new Simulation(Scenario.generate(seed), saga).execute();
    }

    /**
     * One seed's run with its evidence: the coordinator's log and every event the agents produced,
     * for tools (the audit) that need real logs to read.
     */
    public static Recording record(long seed) {
        Simulation sim = new Simulation(Scenario.generate(seed), new MigrationSaga());
        SimResult r = sim.execute();
        return new Recording(r, sim.vm, sim.coordinator.log, sim.produced);
    }

    /** The coordinator's log of one seed, one record per line, then its violations: for debugging a seed. */
    public static List<String> trace(long seed) {
        return trace(seed, new MigrationSaga());
    }

    /** {@link #trace(long)} over another saga. */
    public static List<String> trace(long seed, MigrationSaga saga) {
        Simulation sim = new Simulation(Scenario.generate(seed), saga);
        SimResult r = sim.execute();
        List<String> lines = new ArrayList<>();
        lines.add(sim.sc.toString());
        sim.coordinator.log.forEach(e -> lines.add(e.toString()));
        r.violations().forEach(v -> lines.add("VIOLATION " + v));
        return lines;
    }

    // ------------------------------------------------------------------ event loop

    private record Task(long time, long seq, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private void at(long time, Runnable action) {
        queue.add(new Task(Math.max(time, now), taskSeq++, action));
    }

    private Instant instant() {
        return BASE.plusMillis(now);
    }

    private boolean fault(double p) {
        if (faults < sc.faultBudget() && p > 0 && rnd.nextDouble() < p) {
            faults++;
            return true;
        }
        return false;
    }

    private SimResult execute() {
        setUp();
        while (!queue.isEmpty() && steps < MAX_STEPS) {
            Task t = queue.poll();
            if (t.time() > TIME_LIMIT_MILLIS || t.time() > endAt) {
                break;
            }
            now = t.time();
            steps++;
            t.action().run();
        }
        return finish();
    }

    private void setUp() {
        for (int h = 0; h < sc.hosts(); h++) {
            agents.add(new SimAgent(h));
        }
        SimAgent src = agents.get(sc.sourceHost());
        SimAgent dst = agents.get(sc.destinationHost());
        for (int i = 0; i < sc.devices().size(); i++) {
            Scenario.DeviceSpec spec = sc.devices().get(i);
            src.devices.put(new DeviceId("src-" + i), new SimDevice(new FaithfulDevice(vm, src.host, src.agent,
                    new DeviceId("src-" + i), spec.sourceFlags(), spec.sourceModel(), spec.initialBytes(),
                    spec.stopCopyBytes())));
            dst.devices.put(new DeviceId("dst-" + i), new SimDevice(new FaithfulDevice(vm, dst.host, dst.agent,
                    new DeviceId("dst-" + i), spec.destinationFlags(), spec.destinationModel(), spec.initialBytes(),
                    spec.stopCopyBytes())));
        }
        observe(new Observed.InstanceRole(vm, src.host, true, 0));
        for (SimAgent a : agents) {
            for (SimDevice d : a.devices.values()) {
                observe(new Observed.DeviceState(vm, a.host, d.id, d.f.state(), 0));
            }
        }
        coordinator.input(new SagaInput.Takeover(1, instant()));
        at(1, () -> {
            for (SimAgent a : agents) {
                a.register();
                a.scheduleHeartbeat();
            }
        });
        List<DevicePair> pairs = new ArrayList<>();
        for (int i = 0; i < sc.devices().size(); i++) {
            pairs.add(new DevicePair(new DeviceId("src-" + i), new DeviceId("dst-" + i)));
        }
        MigrationRequest request = new MigrationRequest(migration, vm, src.host, dst.host, pairs, sc.policy());
        at(REQUEST_AT, () -> coordinator.deliver(new SagaInput.Start(request, instant())));
        if (sc.cancel()) {
            at(REQUEST_AT + sc.cancelAtMillis(),
                    () -> coordinator.deliver(new SagaInput.Cancel(migration, "operator cancel", instant())));
        }
        for (int i = 0; i < sc.agentCrashes() && faults < sc.faultBudget(); i++) {
            faults++;
            SimAgent a = rnd.nextBoolean() ? src : dst;
            long t = REQUEST_AT + rnd.nextLong(4000);
            at(t, a::crash);
            at(t + 50 + rnd.nextLong(1000), a::restart);
        }
        for (int i = 0; i < sc.coordinatorCrashes() && faults < sc.faultBudget(); i++) {
            faults++;
            long t = REQUEST_AT + rnd.nextLong(4000);
            at(t, coordinator::crash);
            at(t + 50 + rnd.nextLong(1000), coordinator::restart);
        }
    }

    private void observe(Observed o) {
        violations.addAll(checker.observe(o));
    }

    // ------------------------------------------------------------------ network

    /** Agent to coordinator: the VM's partition. */
    private void toCoordinator(AgentEvent e, boolean reliable) {
        produced.add(e);
        if (!reliable && fault(sc.loss())) {
            return;
        }
        at(now + latency(reliable), () -> coordinator.deliver(new SagaInput.Report(e, instant())));
        if (!reliable && fault(sc.duplication())) {
            at(now + latency(false), () -> coordinator.deliver(new SagaInput.Report(e, instant())));
        }
    }

    private void toAgent(AgentCommand c) {
        if (fault(sc.loss())) {
            return;
        }
        SimAgent a = agent(c.host());
        at(now + latency(false), () -> a.receive(c));
        if (fault(sc.duplication())) {
            at(now + latency(false), () -> a.receive(c));
        }
    }

    private long latency(boolean reliable) {
        long l = 1 + rnd.nextLong(20);
        return !reliable && fault(sc.delay()) ? l + 100 + rnd.nextLong(1500) : l;
    }

    private SimAgent agent(HostId host) {
        for (SimAgent a : agents) {
            if (a.host.equals(host)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no agent on " + host);
    }

    // ------------------------------------------------------------------ coordinator

    /** The saga plus a simulated shell: a durable log, memory that a crash loses, timers. */
    private final class Coordinator {
        final List<SagaEvent> log = new ArrayList<>();
        SagaState state = saga.initialState();
        boolean alive = true;
        final Deque<SagaInput> backlog = new ArrayDeque<>();
        long timerAt = -1;
        long epoch = 1;

        /** Kafka keeps what arrives while the coordinator is down; it is consumed after the restart. */
        void deliver(SagaInput in) {
            if (!alive) {
                backlog.add(in);
                return;
            }
            input(in);
        }

        void input(SagaInput in) {
            List<SagaEvent> events = saga.decide(in, state);
            for (SagaEvent e : events) {
                log.add(e);
                state = saga.evolve(state, e);
                published(e);
            }
            schedule();
        }

        private void published(SagaEvent e) {
            if (e.kind() == SagaEvent.Kind.COMMAND_ISSUED) {
                toAgent(((SagaEvent.CommandIssued) e).command());
            } else if (e.kind() == SagaEvent.Kind.BARRIER_REACHED
                    && ((SagaEvent.BarrierReached) e).barrier() == Barrier.COMMITTED) {
                observe(new Observed.InstanceRole(vm, agents.get(sc.sourceHost()).host, false, steps));
                observe(new Observed.InstanceRole(vm, agents.get(sc.destinationHost()).host, true, steps));
            } else if (e.kind() == SagaEvent.Kind.MIGRATION_COMPLETED || e.kind() == SagaEvent.Kind.MIGRATION_ROLLED_BACK
                    || e.kind() == SagaEvent.Kind.MIGRATION_FAILED || e.kind() == SagaEvent.Kind.PLAN_REJECTED) {
                // Let in-flight work settle, then stop.
                endAt = Math.min(endAt, now + 3000);
            }
        }

        private void schedule() {
            Optional<Instant> next = saga.nextDeadline(state);
            if (next.isEmpty()) {
                return;
            }
            long t = next.get().toEpochMilli() - BASE.toEpochMilli();
            if (t == timerAt) {
                return;
            }
            timerAt = t;
            long armedEpoch = epoch;
            at(t, () -> {
                if (alive && timerAt == t && epoch == armedEpoch) {
                    timerAt = -1;
                    input(new SagaInput.Timer(instant()));
                }
            });
        }

        /** The state the crashed instance held; only the check below looks at it. */
        SagaState lost;

        void crash() {
            if (!alive) {
                return;
            }
            alive = false;
            lost = state;
            state = null;
            timerAt = -1;
        }

        /** A new instance rebuilds its state by folding the log, then takes over with a new epoch. */
        void restart() {
            if (alive) {
                return;
            }
            SagaState rebuilt = saga.fold(saga.initialState(), log);
            if (!rebuilt.equals(lost)) {
                violations.add(new Violation(Rule.REPLAY_DIVERGED, vm, steps,
                        "the state rebuilt from the log after a coordinator crash differs from the one it lost"));
            }
            state = rebuilt;
            alive = true;
            epoch = state.epoch() + 1;
            input(new SagaInput.Takeover(epoch, instant()));
            while (!backlog.isEmpty() && alive) {
                input(backlog.poll());
            }
        }
    }

    // ------------------------------------------------------------------ devices and agents

    /**
     * A device: its state survives agent crashes. Its real state and its events (numbered with its
     * sequence) are the shared {@link FaithfulDevice}'s; the simulator adds the kernel's time and
     * the sessions that faults can break.
     */
    private static final class SimDevice {
        final FaithfulDevice f;
        final DeviceId id;
        final long initialBytes;
        final long stopCopyBytes;
        /** When the SET or reset in the kernel ends; survives the agent. */
        long kernelBusyUntil;
        /** Counts saving/resuming sessions; a session ends when the device leaves its group. */
        int session;
        MigrationState reported = MigrationState.RUNNING;
        /** Set when the resuming session received a complete stream: (sha, bytes). */
        String loadedSha;

        SimDevice(FaithfulDevice f) {
            this.f = f;
            this.id = f.id();
            this.initialBytes = f.initialBytes();
            this.stopCopyBytes = f.stopCopyBytes();
        }
    }

    /** A stream being sent from a source device (agent memory). */
    private static final class Stream {
        final MigrationId migration;
        CommandId answers;
        final int session;
        final HostId destinationHost;
        final DeviceId destinationDevice;
        long sent;
        long dirty;
        boolean done;

        Stream(MigrationId migration, CommandId answers, int session, HostId destinationHost, DeviceId destinationDevice) {
            this.migration = migration;
            this.answers = answers;
            this.session = session;
            this.destinationHost = destinationHost;
            this.destinationDevice = destinationDevice;
        }
    }

    private final class SimAgent {
        final HostId host;
        final AgentId agent;
        final Map<DeviceId, SimDevice> devices = new TreeMap<>();
        // persisted
        final Set<CommandId> applied = new HashSet<>();
        long newestEpoch;
        long agentEpoch = 1;
        final Map<DeviceId, String> sentSha = new TreeMap<>();
        final Map<DeviceId, String> receivedSha = new TreeMap<>();
        final Map<DeviceId, Integer> streamedSession = new TreeMap<>();
        final List<AgentCommand> backlog = new ArrayList<>();
        // memory
        boolean alive = true;
        /** Commands wait per device: like the kernel's state mutex, one SET (or reset) at a time. */
        final Map<DeviceId, Deque<AgentCommand>> queues = new TreeMap<>();
        final Set<DeviceId> busy = new HashSet<>();
        final Map<DeviceId, Stream> streams = new TreeMap<>();
        final Map<DeviceId, CommandId> accepted = new TreeMap<>();
        final Map<DeviceId, String> arrived = new TreeMap<>();
        int incarnation;

        SimAgent(int h) {
            this.host = new HostId("host-" + h);
            this.agent = new AgentId("agent-" + h);
        }

        void register() {
            for (SimDevice d : devices.values()) {
                toCoordinator(d.f.registered(instant()), true);
                d.reported = d.f.state();
            }
        }

        void scheduleHeartbeat() {
            int inc = incarnation;
            at(now + HEARTBEAT_EVERY, () -> {
                if (!alive || inc != incarnation || now >= endAt) {
                    return;
                }
                if (!devices.isEmpty()) {
                    List<AgentEvent.DeviceStatus> st = new ArrayList<>();
                    devices.values().forEach(d -> st.add(d.f.status()));
                    toCoordinator(new AgentEvent.AgentHeartbeat(host, agent, vm, instant(), agentEpoch, st), false);
                }
                scheduleHeartbeat();
            });
        }

        void crash() {
            alive = false;
            incarnation++;
            // An arc already in the kernel still finishes on the device's time (kernelBusyUntil).
            queues.clear();
            busy.clear();
            streams.clear();
            accepted.clear();
            arrived.clear();
        }

        /** Reconciles: a state change the crash kept from being reported is reported now. */
        void restart() {
            alive = true;
            agentEpoch++;
            for (SimDevice d : devices.values()) {
                if (d.f.state() != d.reported) {
                    stateChanged(d, Optional.empty(), d.reported, d.f.state());
                }
            }
            scheduleHeartbeat();
            List<AgentCommand> pending = new ArrayList<>(backlog);
            backlog.clear();
            pending.forEach(this::receive);
        }

        void receive(AgentCommand c) {
            if (!alive) {
                backlog.add(c); // the commands topic keeps it; consumed after the restart
                return;
            }
            if (c.coordinatorEpoch() < newestEpoch) {
                return; // fenced: a newer coordinator epoch has spoken
            }
            newestEpoch = c.coordinatorEpoch();
            if (c.kind() == AgentCommand.Kind.ABORT_MIGRATION) {
                streams.clear();
                accepted.clear();
                return;
            }
            DeviceId id = ((AgentCommand.DeviceCommand) c).device();
            SimDevice d = devices.get(id);
            if (d == null) {
                return;
            }
            queues.computeIfAbsent(id, k -> new ArrayDeque<>()).add(c);
            next(d);
        }

        private void next(SimDevice d) {
            Deque<AgentCommand> q = queues.get(d.id);
            if (busy.contains(d.id) || q == null || q.isEmpty()) {
                return;
            }
            AgentCommand c = q.poll();
            busy.add(d.id);
            int inc = incarnation;
            at(Math.max(now, d.kernelBusyUntil), () -> {
                if (alive && inc == incarnation && execute(c, d)) {
                    finished(d, inc);
                }
            });
        }

        /** The device's current command is done: the next one may start. */
        private void finished(SimDevice d, int inc) {
            if (alive && inc == incarnation) {
                busy.remove(d.id);
                next(d);
            }
        }

        /**
         * Runs a command when the device is free. Returns true when it is already done; a SET or a
         * reset that takes time calls {@link #finished} itself.
         */
        private boolean execute(AgentCommand c, SimDevice d) {
            if (applied.contains(c.id())) {
                rereport(c, d);
                return true;
            }
            if (instant().isAfter(c.deadline())) {
                return true; // the coordinator no longer waits for it; it re-issues with a new id
            }
            applied.add(c.id());
            switch (c.kind()) {
                case TRANSITION_DEVICE:
                    return transition((AgentCommand.TransitionDevice) c, d);
                case RESET_DEVICE: {
                    long done = now + 1 + rnd.nextLong(10);
                    d.kernelBusyUntil = done;
                    int inc = incarnation;
                    at(done, () -> {
                        MigrationState from = d.f.state();
                        setState(d, MigrationState.RUNNING);
                        streams.remove(d.id);
                        accepted.remove(d.id);
                        if (alive && inc == incarnation) {
                            stateChanged(d, Optional.of(c.id()), from, MigrationState.RUNNING);
                            finished(d, inc);
                        }
                    });
                    return false;
                }
                case START_DATA_TRANSFER:
                    startTransfer((AgentCommand.StartDataTransfer) c, d);
                    return true;
                case ACCEPT_DATA_TRANSFER:
                    accept((AgentCommand.AcceptDataTransfer) c, d);
                    return true;
                case ABORT_MIGRATION:
                    throw new IllegalStateException("handled on receipt");
            }
            throw new IllegalStateException("unhandled command " + c.kind());
        }

        private void rereport(AgentCommand c, SimDevice d) {
            switch (c.kind()) {
                case TRANSITION_DEVICE, RESET_DEVICE -> stateChanged(d, Optional.of(c.id()), d.f.state(), d.f.state());
                case START_DATA_TRANSFER, ACCEPT_DATA_TRANSFER, ABORT_MIGRATION -> {
                    // the stream reports on its own
                }
            }
        }

        private boolean transition(AgentCommand.TransitionDevice c, SimDevice d) {
            MigrationCapability cap = d.f.capability().orElseThrow();
            Transition t = MigrationFsm.plan(cap, d.f.state(), c.target());
            if (t instanceof Transition.Refused r) {
                emit(d.f.failed(Optional.of(c.id()), d.f.state(), c.target(), r.errno().value(), d.f.state(),
                        r.message(), instant()));
                return true;
            }
            List<Arc> arcs = ((Transition.Path) t).arcs();
            if (arcs.isEmpty()) {
                stateChanged(d, Optional.of(c.id()), d.f.state(), d.f.state());
                return true;
            }
            walk(c, d, arcs, 0);
            return false;
        }

        private void walk(AgentCommand.TransitionDevice c, SimDevice d, List<Arc> arcs, int i) {
            Arc arc = arcs.get(i);
            long took = 1 + rnd.nextLong(20);
            if (fault(sc.slowArc())) {
                took += sc.policy().stepDeadline().toMillis() + rnd.nextLong(400);
            }
            long done = now + took;
            d.kernelBusyUntil = done;
            int inc = incarnation;
            Instant started = instant();
            boolean fails = fault(sc.arcFailure());
            MigrationState readBack = rnd.nextBoolean() ? MigrationState.ERROR : arc.from();
            at(done, () -> {
                // The kernel finishes the SET whether or not the agent process is still there.
                if (fails) {
                    setState(d, readBack);
                    if (alive && inc == incarnation) {
                        emit(d.f.failed(Optional.of(c.id()), arc.from(), arc.to(), Errno.EIO.value(), readBack,
                                "injected failure", instant()));
                        d.reported = readBack;
                        finished(d, inc);
                    }
                    return;
                }
                setState(d, arc.to());
                if (arc.opensDataSession()) {
                    d.session++;
                    d.loadedSha = null;
                }
                if (!(alive && inc == incarnation)) {
                    return;
                }
                emit(d.f.changed(Optional.of(c.id()), arc.from(), arc.to(), started, instant()));
                d.reported = arc.to();
                if (arc.commitsResumedData() && d.loadedSha == null) {
                    // Nothing complete was loaded: the driver rejects the data on leaving RESUMING.
                    setState(d, MigrationState.ERROR);
                    emit(d.f.failed(Optional.of(c.id()), arc.from(), arc.to(), Errno.EIO.value(), MigrationState.ERROR,
                            "resumed data incomplete", instant()));
                    d.reported = MigrationState.ERROR;
                    finished(d, inc);
                    return;
                }
                if (i + 1 < arcs.size()) {
                    walk(c, d, arcs, i + 1);
                } else {
                    finished(d, inc);
                }
            });
        }

        private void startTransfer(AgentCommand.StartDataTransfer c, SimDevice d) {
            if (sentSha.containsKey(d.id)) {
                emit(d.f.streamed(c.migration(), c.id(), AgentEvent.Direction.SEND, d.initialBytes + d.stopCopyBytes,
                        sentSha.get(d.id), instant()));
                return;
            }
            Stream s = streams.get(d.id);
            if (s != null && s.session == d.session) {
                s.answers = c.id();
                return;
            }
            if (!d.f.state().inSavingGroup() || streamedSession.getOrDefault(d.id, -1) == d.session) {
                // The saving fd belonged to the agent process: after a restart its session is gone.
                emit(d.f.streamFailed(c.migration(), c.id(), AgentEvent.Direction.SEND, 0, d.f.state().inSavingGroup()
                        ? "the saving session was lost with the agent restart"
                        : "no open saving session (device in " + d.f.state() + ")", instant()));
                return;
            }
            streamedSession.put(d.id, d.session);
            Stream fresh = new Stream(c.migration(), c.id(), d.session, c.destinationHost(), c.destinationDevice());
            fresh.dirty = sc.converging() ? d.initialBytes / 4 : d.initialBytes / 8;
            streams.put(d.id, fresh);
            pump(d, fresh, incarnation);
        }

        /** Moves a stream along: pre-copy progress while running, the final drain in STOP_COPY. */
        private void pump(SimDevice d, Stream s, int inc) {
            at(now + 50, () -> {
                if (!alive || inc != incarnation || streams.get(d.id) != s || s.done) {
                    return;
                }
                if (d.session != s.session || !d.f.state().inSavingGroup()) {
                    streams.remove(d.id);
                    emit(d.f.streamFailed(s.migration, s.answers, AgentEvent.Direction.SEND, s.sent,
                            "saving session ended", instant()));
                    return;
                }
                if (d.f.state() == MigrationState.STOP_COPY) {
                    s.done = true;
                    String sha = FaithfulDevice.sha(s.migration, d.id);
                    sentSha.put(d.id, sha);
                    s.sent = d.initialBytes + d.stopCopyBytes;
                    emit(d.f.streamed(s.migration, s.answers, AgentEvent.Direction.SEND, s.sent, sha, instant()));
                    String delivered = fault(sc.corruption()) ? sha + "-corrupt" : sha;
                    SimAgent dst = agent(s.destinationHost);
                    at(now + latency(false), () -> dst.arrive(s.destinationDevice, delivered));
                    return;
                }
                s.sent = Math.min(d.initialBytes, s.sent + (16L << 20));
                s.dirty = sc.converging() ? s.dirty * 7 / 10 : s.dirty + (1L << 20);
                emit(d.f.preCopy(s.migration, s.dirty, s.sent, instant()));
                pump(d, s, inc);
            });
        }

        private void accept(AgentCommand.AcceptDataTransfer c, SimDevice d) {
            if (receivedSha.containsKey(d.id) && d.loadedSha != null) {
                emit(d.f.streamed(c.migration(), c.id(), AgentEvent.Direction.RECEIVE, d.stopCopyBytes,
                        receivedSha.get(d.id), instant()));
                return;
            }
            if (d.f.state() != MigrationState.RESUMING) {
                emit(d.f.streamFailed(c.migration(), c.id(), AgentEvent.Direction.RECEIVE, 0,
                        "device is in " + d.f.state() + ", not RESUMING", instant()));
                return;
            }
            accepted.put(d.id, c.id());
            String early = arrived.remove(d.id);
            if (early != null) {
                arrive(d.id, early);
            }
        }

        void arrive(DeviceId id, String sha) {
            if (!alive) {
                return;
            }
            SimDevice d = devices.get(id);
            CommandId answers = accepted.get(id);
            if (answers == null) {
                arrived.put(id, sha); // the accept command is still on its way
                return;
            }
            if (d.f.state() != MigrationState.RESUMING) {
                return;
            }
            d.loadedSha = sha;
            receivedSha.put(id, sha);
            emit(d.f.streamed(migration, answers, AgentEvent.Direction.RECEIVE, d.initialBytes + d.stopCopyBytes, sha,
                    instant()));
        }

        private void stateChanged(SimDevice d, Optional<CommandId> answers, MigrationState from, MigrationState to) {
            emit(d.f.changed(answers, from, to, instant(), instant()));
            d.reported = to;
        }

        private void emit(AgentEvent e) {
            toCoordinator(e, false);
        }

        private void setState(SimDevice d, MigrationState s) {
            if (d.f.state() != s) {
                if (!s.inSavingGroup() && s != MigrationState.RESUMING) {
                    d.session++;
                }
                d.f.state(s);
                observe(new Observed.DeviceState(vm, host, d.id, s, steps));
            }
        }
    }

    // ------------------------------------------------------------------ the end

    private SimResult finish() {
        List<SagaEvent> log = coordinator.log;
        Termination.Outcome outcome = Termination.Outcome.UNFINISHED;
        Map<DeviceId, MigrationState> reported = new LinkedHashMap<>();
        boolean rejected = false;
        for (SagaEvent e : log) {
            switch (e.kind()) {
                case MIGRATION_COMPLETED -> outcome = Termination.Outcome.COMPLETED;
                case MIGRATION_ROLLED_BACK -> outcome = Termination.Outcome.ROLLED_BACK;
                case MIGRATION_FAILED -> outcome = Termination.Outcome.FAILED;
                case PLAN_REJECTED -> rejected = true;
                default -> {
                }
            }
        }
        // What the coordinator knows at the end: the failure's snapshot, updated by every later report.
        SagaState known = saga.fold(saga.initialState(), log);
        known.inventory().forEach((id, k) -> reported.put(id, k.state()));
        SimAgent src = agents.get(sc.sourceHost());
        SimAgent dst = agents.get(sc.destinationHost());
        Map<DeviceId, MigrationState> srcStates = new TreeMap<>();
        src.devices.values().forEach(d -> srcStates.put(d.id, d.f.state()));
        Map<DeviceId, MigrationState> dstStates = new TreeMap<>();
        dst.devices.values().forEach(d -> dstStates.put(d.id, d.f.state()));
        if (rejected) {
            // A refused plan touches nothing: the VM must still run untouched on the source.
            outcome = Termination.Outcome.ROLLED_BACK;
        }
        violations.addAll(Termination.check(new Termination.Ending(vm, outcome, src.host, dst.host, srcStates, dstStates,
                checker.running(vm, src.host), checker.running(vm, dst.host), reported, steps)));
        replay(log);
        String result = rejected ? "REJECTED" : outcome.name();
        return new SimResult(sc.seed(), result, List.copyOf(violations), steps, now, log.size(), faults);
    }

    /** The audit: fold the log from scratch, and re-derive every decision from the recorded inputs. */
    private void replay(List<SagaEvent> log) {
        SagaState folded = saga.fold(saga.initialState(), log);
        if (coordinator.alive && !folded.equals(coordinator.state)) {
            violations.add(new Violation(Rule.REPLAY_DIVERGED, vm, steps,
                    "folding the log does not rebuild the coordinator's state"));
        }
        SagaAudit.rederive(saga, log).ifPresent(d -> violations.add(new Violation(Rule.REPLAY_DIVERGED, vm, steps, d)));
    }
}
