package dev.vfo.audit;

import dev.vfo.core.invariant.DecisionReplay;
import dev.vfo.core.invariant.Observed;
import dev.vfo.core.invariant.P2pOrderChecker;
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
import dev.vfo.core.saga.DevicePlan;
import dev.vfo.core.saga.MigrationPlan;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.ChainLink;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.Digest;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.RecentAgentEvents;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The audit, one record at a time. Feed it every record of the coordinator log, the device
 * events and the dead letters in audit order ({@link AuditOrder}: per partition number, the
 * topics merged by timestamp, each partition in offset order), then {@link #finish}.
 *
 * <p>It holds only running state per VM and device (chain head, saga state, last sequence and
 * state, a bounded window of recent agent events, the timeline of the migration in flight), never
 * the log: memory grows with the fleet, not with the log's length.
 *
 * <p>The agents' events are the primary evidence of what devices did: arcs, sequences, the P2P
 * order and the end states are checked on them. The coordinator log gives the chain, the
 * decisions (re-derived through core), the instance that runs the guest (the commit point) and
 * the DeviceReported records, each of which must be an event its agent produced. Not
 * thread-safe.
 */
public final class AuditEngine {

    /** Violations kept in full; more are counted. */
    public static final int KEPT_VIOLATIONS = 1000;
    /** Recent agent events kept per device to match the coordinator's DeviceReported records against. */
    static final int PRODUCED_WINDOW = 1024;
    /** Timeline bands and marks kept per migration. */
    static final int TIMELINE_LIMIT = 20_000;
    /** Migration reports kept (the latest win); the verdict counts cover all. */
    static final int KEPT_MIGRATIONS = 1000;
    private static final int KEPT_RESETS = 16;

    /** What is audited: one VM or all, and whether the log is read from its start (else no genesis, no replay). */
    public record Scope(Optional<VmId> vm, boolean fromStart) {
        public Scope {
            Objects.requireNonNull(vm);
        }

        public static Scope everything() {
            return new Scope(Optional.empty(), true);
        }
    }

    private final String deviceEvents;
    private final String coordinatorLog;
    private final String deadLetterTopic;
    private final Scope scope;
    private final byte[] vmKey;
    /** Undecodable records and their dead letters; shared by a partitioned audit's engines, which then do not judge it. */
    private final Quarantine quarantine;
    private final boolean ownsQuarantine;
    /** Each agent event is read twice (its topic, its DeviceReported entry): decoded once. An engine runs on one thread. */
    private final RecentAgentEvents recent = new RecentAgentEvents();
    private final MigrationSaga saga = new MigrationSaga();
    private final P2pOrderChecker p2p = new P2pOrderChecker();
    private final Map<VmId, VmTrack> vms = new HashMap<>();
    /** Records per audited topic (three counters: a map merge per record showed in the profile), others by name. */
    private long deviceEventCount;
    private long logEntryCount;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<AuditViolation> violations = new ArrayList<>();
    private final List<MigrationReport> migrations = new ArrayList<>();
    private long violationCount;
    private long deadLetters;
    private long chainEntries;
    private long position;

    public AuditEngine(TopicCatalog topics, Scope scope) {
        this(topics, scope, null);
    }

    /** @param shared the quarantine of a {@link PartitionedAudit}, which judges it; null: this engine's own */
    AuditEngine(TopicCatalog topics, Scope scope, Quarantine shared) {
        this.quarantine = shared != null ? shared
                : new Quarantine(java.util.Set.of(topics.deviceEvents().name(), topics.coordinatorLog().name()));
        this.ownsQuarantine = shared == null;
        this.deviceEvents = topics.deviceEvents().name();
        this.coordinatorLog = topics.coordinatorLog().name();
        this.deadLetterTopic = topics.deadLetters().name();
        this.scope = Objects.requireNonNull(scope);
        this.vmKey = scope.vm().map(TopicCatalog::key).orElse(null);
    }

    // ------------------------------------------------------------------ running state

    private static final class DeviceTrack {
        final DeviceId id;
        HostId host;
        AgentId agent;
        Optional<MigrationCapability> capability;
        long flags;
        MigrationState state;
        long lastSequence = -1;
        long firstSequence = -1;
        RecordRef lastRef;
        final LinkedHashMap<Long, Produced> produced = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Produced> eldest) {
                return size() > PRODUCED_WINDOW;
            }
        };
        final LinkedHashSet<CommandId> resets = new LinkedHashSet<>();
        /**
         * Resets to RUNNING (no kernel arc) that answer a command id the coordinator log has not
         * shown yet: the agent's clock may run behind the coordinator's, or the partitions were
         * written out of time order, so the ResetDevice entry may be read after the event. Judged
         * when the command arrives (fine) or when evicted or at the end (ILLEGAL_ARC).
         */
        final LinkedHashMap<CommandId, PendingReset> pendingResets = new LinkedHashMap<>();

        DeviceTrack(DeviceId id) {
            this.id = id;
        }

        long producedFloor() {
            return produced.isEmpty() ? Long.MAX_VALUE : produced.keySet().iterator().next();
        }
    }

    /** An agent's event (or a DeviceReported record waiting for one) and where it is. */
    private static final class Produced {
        final AgentEvent event;
        final RecordRef ref;
        /** The coordinator log recorded it: only a duplicate record could still ask for it. */
        boolean reported;

        Produced(AgentEvent event, RecordRef ref) {
            this.event = event;
            this.ref = ref;
        }

        AgentEvent event() {
            return event;
        }

        RecordRef ref() {
            return ref;
        }
    }

    /**
     * Recorded agent events kept per device beyond the unrecorded ones, to match duplicate
     * DeviceReported records against. Without this trim every device held its last 1024 events
     * for the whole audit: ~300 KiB per device, the audit's memory was the log's.
     */
    static final int KEPT_REPORTED = 16;

    private static void reported(DeviceTrack d, Produced p) {
        p.reported = true;
        int excess = d.produced.size() - KEPT_REPORTED;
        java.util.Iterator<Map.Entry<Long, Produced>> it = d.produced.entrySet().iterator();
        while (excess > 0 && it.hasNext()) {
            Map.Entry<Long, Produced> eldest = it.next();
            // Never past a gap: a record of a missing sequence must stay within the window, to be judged unbacked.
            if (!eldest.getValue().reported || !d.produced.containsKey(eldest.getKey() + 1)) {
                break;
            }
            it.remove();
            excess--;
        }
    }

    private record PendingReset(AgentEvent.DeviceStateChanged event, RecordRef ref, long flags,
            Optional<MigrationCapability> capability) {}

    private final class VmTrack {
        final VmId vm;
        boolean anchored;
        long sequence;
        Digest head = Digest.ZERO;
        final DecisionReplay replay;
        final Map<DeviceId, DeviceTrack> devices = new HashMap<>();
        Instant lastInputAt = Instant.EPOCH;
        Timeline current;
        /** The last FAILED migration's report, judged when the VM's next plan starts or the audit ends. */
        Failure failed;
        /**
         * DeviceReported records read before the agent's event they record (clock skew between
         * hosts, or a reordered topic), waiting for it; bounded per device, the rest are judged at once.
         */
        final Map<DeviceId, LinkedHashMap<Long, Produced>> awaiting = new HashMap<>();

        VmTrack(VmId vm) {
            this.vm = vm;
            this.anchored = scope.fromStart();
            this.replay = scope.fromStart() ? new DecisionReplay(saga) : null;
        }
    }

    /** The migration in flight (or just ended) of one VM, while it is being read. */
    private static final class Timeline {
        final MigrationPlan plan;
        final Map<DeviceId, LaneBuilder> lanes = new LinkedHashMap<>();
        final List<MigrationReport.Mark> phases = new ArrayList<>();
        final List<MigrationReport.Mark> barriers = new ArrayList<>();
        String reason = "";
        Instant last;
        int violations;
        int size;
        boolean truncated;
        boolean ended;

        Timeline(MigrationPlan plan) {
            this.plan = plan;
            this.last = plan.acceptedAt();
        }

        boolean room() {
            if (size >= TIMELINE_LIMIT) {
                truncated = true;
                return false;
            }
            size++;
            return true;
        }

        void seen(Instant at) {
            if (at.isAfter(last)) {
                last = at;
            }
        }

        MigrationReport report(Outcome outcome, Optional<Instant> end) {
            List<MigrationReport.Lane> out = new ArrayList<>();
            lanes.values().forEach(l -> out.add(new MigrationReport.Lane(l.device, l.host, l.source, l.bands, l.bytes)));
            return new MigrationReport(plan.migration(), plan.vm(), plan.sourceHost(), plan.destinationHost(), outcome,
                    reason, plan.acceptedAt(), end, last, out, phases, barriers, violations, truncated);
        }
    }

    private static final class LaneBuilder {
        final DeviceId device;
        final HostId host;
        final boolean source;
        final List<MigrationReport.Band> bands = new ArrayList<>();
        long bytes;

        LaneBuilder(DeviceId device, HostId host, boolean source) {
            this.device = device;
            this.host = host;
            this.source = source;
        }
    }

    // ------------------------------------------------------------------ input

    /** One record of the log, in audit order. Never throws for bad records: they become violations. */
    public void accept(LoggedRecord r) {
        if (vmKey != null && !Arrays.equals(vmKey, r.key().orElse(null))) {
            return;
        }
        position++;
        boolean log = r.topic().equals(coordinatorLog);
        if (log) {
            logEntryCount++;
        } else if (r.topic().equals(deviceEvents)) {
            deviceEventCount++;
        } else {
            counts.merge(r.topic(), 1L, Long::sum);
            if (r.topic().equals(deadLetterTopic)) {
                deadLetters++;
                quarantine.letter(r);
            }
            return;
        }
        RecordRef ref = RecordRef.of(r);
        if (r.value().isEmpty()) {
            undecodable(r, keyVm(r), "the record has no value");
            return;
        }
        if (log) {
            onLogEntry(r, r.value().get(), ref);
        } else {
            onDeviceEvent(r, r.value().get(), ref);
        }
    }

    /** Not judged here: it is fine if a consumer dead-lettered it ({@link Quarantine}). */
    private void undecodable(LoggedRecord r, Optional<VmId> vm, String finding) {
        quarantine.suspect(r, vm, finding);
    }

    private static Optional<VmId> keyVm(LoggedRecord r) {
        return r.key().flatMap(k -> {
            try {
                return Optional.of(new VmId(new String(k, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    private VmTrack track(VmId vm) {
        return vms.computeIfAbsent(vm, VmTrack::new);
    }

    // ------------------------------------------------------------------ coordinator log

    private void onLogEntry(LoggedRecord r, byte[] value, RecordRef ref) {
        Decoded<CoordinatorLogEntry> decoded = LogCodec.decodeLogEntry(value, recent);
        ChainLink link;
        SagaEvent event = null;
        if (decoded instanceof Decoded.Ok) {
            CoordinatorLogEntry entry = decoded.orElseThrow();
            link = entry.link();
            event = entry.event();
        } else {
            Decoded<ChainLink> chainOnly = LogCodec.decodeChainLink(value);
            String why = ((Decoded.Failed<CoordinatorLogEntry>) decoded).failure().toString();
            if (chainOnly instanceof Decoded.Failed) {
                undecodable(r, keyVm(r), "not a coordinator-log entry: " + why);
                return;
            }
            link = chainOnly.orElseThrow();
            undecodable(r, Optional.of(link.vm()), "the saga event inside entry " + link.sequence()
                    + " does not decode: " + why);
        }
        chainEntries++;
        VmTrack t = track(link.vm());
        if (t.anchored) {
            if (link.sequence() != t.sequence + 1) {
                violation(AuditRule.CHAIN_BROKEN, t, Optional.empty(), List.of(ref), "entry has sequence "
                        + link.sequence() + ", expected " + (t.sequence + 1) + " (an entry was removed, inserted or moved)");
            } else if (!link.previous().equals(t.head)) {
                violation(AuditRule.CHAIN_BROKEN, t, Optional.empty(), List.of(ref), "entry " + link.sequence()
                        + " says the previous entry hashes to " + link.previous() + " but entry " + t.sequence
                        + " hashes to " + t.head + " (an entry was edited or replaced)");
            }
        }
        t.anchored = true;
        t.sequence = link.sequence();
        t.head = HashChain.hash(value);
        if (event == null) {
            return;
        }
        if (event.recordsInput()) {
            t.lastInputAt = event.input().at();
        }
        if (t.replay != null) {
            SagaEvent e = event;
            t.replay.next(event).ifPresent(m -> violation(AuditRule.DECISION_MISMATCH, t, deviceOf(e), List.of(ref),
                    "entry " + link.sequence() + ": " + m));
        }
        interpret(t, event, ref);
    }

    private static Optional<DeviceId> deviceOf(SagaEvent e) {
        if (e.kind() == SagaEvent.Kind.DEVICE_REPORTED
                && ((SagaEvent.DeviceReported) e).event() instanceof AgentEvent.DeviceEvent) {
            return Optional.of(((AgentEvent.DeviceEvent) ((SagaEvent.DeviceReported) e).event()).device());
        }
        if (e.kind() == SagaEvent.Kind.COMMAND_ISSUED
                && ((SagaEvent.CommandIssued) e).command() instanceof AgentCommand.DeviceCommand) {
            return Optional.of(((AgentCommand.DeviceCommand) ((SagaEvent.CommandIssued) e).command()).device());
        }
        return Optional.empty();
    }

    private void interpret(VmTrack t, SagaEvent e, RecordRef ref) {
        switch (e.kind()) {
            case DEVICE_REPORTED:
                crossCheck(t, ((SagaEvent.DeviceReported) e).event(), ref);
                break;
            case PLAN_ACCEPTED:
                begin(t, ((SagaEvent.PlanAccepted) e).plan());
                break;
            case PLAN_REJECTED: {
                SagaEvent.PlanRejected p = (SagaEvent.PlanRejected) e;
                keep(new MigrationReport(p.migration(), t.vm, new HostId("-"), new HostId("-"), Outcome.REJECTED,
                        String.join("; ", p.reasons()), t.lastInputAt, Optional.of(t.lastInputAt), t.lastInputAt,
                        List.of(), List.of(), List.of(), 0, false));
                break;
            }
            case PHASE_ENTERED: {
                SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) e;
                mark(t, p.migration(), true, p.phase().name(), p.at());
                break;
            }
            case BARRIER_REACHED: {
                SagaEvent.BarrierReached b = (SagaEvent.BarrierReached) e;
                mark(t, b.migration(), false, b.barrier().name(), b.at());
                if (b.barrier() == Barrier.COMMITTED && t.current != null) {
                    // The commit point: from here the destination runs the guest, the source is free.
                    p2p.observe(new Observed.InstanceRole(t.vm, t.current.plan.sourceHost(), false, position));
                    p2p.observe(new Observed.InstanceRole(t.vm, t.current.plan.destinationHost(), true, position));
                }
                break;
            }
            case SWITCHOVER_DECIDED: {
                SagaEvent.SwitchoverDecided s = (SagaEvent.SwitchoverDecided) e;
                mark(t, s.migration(), false, "SWITCHOVER", s.at());
                break;
            }
            case COMMAND_ISSUED: {
                AgentCommand c = ((SagaEvent.CommandIssued) e).command();
                if (c.kind() == AgentCommand.Kind.RESET_DEVICE) {
                    DeviceTrack d = t.devices.get(((AgentCommand.ResetDevice) c).device());
                    if (d != null && d.pendingResets.remove(c.id()) == null) {
                        d.resets.add(c.id());
                        if (d.resets.size() > KEPT_RESETS) {
                            d.resets.remove(d.resets.iterator().next());
                        }
                    }
                }
                break;
            }
            case ROLLBACK_STARTED: {
                SagaEvent.RollbackStarted rb = (SagaEvent.RollbackStarted) e;
                if (t.current != null) {
                    t.current.reason = rb.reason();
                }
                mark(t, rb.migration(), false, "ROLLBACK_STARTED", rb.at());
                break;
            }
            case MIGRATION_COMPLETED:
                end(t, Outcome.COMPLETED, ((SagaEvent.MigrationCompleted) e).at(), null, ref);
                break;
            case MIGRATION_ROLLED_BACK: {
                SagaEvent.MigrationRolledBack rb = (SagaEvent.MigrationRolledBack) e;
                end(t, Outcome.ROLLED_BACK, rb.at(), rb.reason(), ref);
                break;
            }
            case MIGRATION_FAILED: {
                SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) e;
                if (t.current != null && !t.current.ended && t.current.plan.migration().equals(f.migration())) {
                    t.failed = new Failure(t.current.plan, f, ref);
                }
                end(t, Outcome.FAILED, f.at(), f.reason(), ref);
                break;
            }
            case MIGRATION_REQUESTED:
            case CANCEL_REQUESTED:
            case TIMER_FIRED:
            case EPOCH_BEGAN:
            case INPUT_IGNORED:
                break;
        }
    }

    private void begin(VmTrack t, MigrationPlan plan) {
        judgeFailure(t);
        if (t.current != null && !t.current.ended) {
            keep(t.current.report(Outcome.STUCK, Optional.empty()));
        }
        Timeline tl = new Timeline(plan);
        for (DevicePlan d : plan.devices()) {
            tl.lanes.put(d.source(), new LaneBuilder(d.source(), plan.sourceHost(), true));
        }
        for (DevicePlan d : plan.devices()) {
            tl.lanes.put(d.destination(), new LaneBuilder(d.destination(), plan.destinationHost(), false));
        }
        tl.lanes.values().forEach(l -> {
            DeviceTrack d = t.devices.get(l.device);
            if (d != null && d.state != null) {
                l.bands.add(new MigrationReport.Band(plan.acceptedAt(), d.state));
            }
        });
        t.current = tl;
        p2p.observe(new Observed.InstanceRole(t.vm, plan.sourceHost(), true, position));
        p2p.observe(new Observed.InstanceRole(t.vm, plan.destinationHost(), false, position));
    }

    private static void mark(VmTrack t, MigrationId migration, boolean phase, String name, Instant at) {
        Timeline tl = t.current;
        if (tl == null || !tl.plan.migration().equals(migration) || !tl.room()) {
            return;
        }
        (phase ? tl.phases : tl.barriers).add(new MigrationReport.Mark(name, at));
        tl.seen(at);
    }

    private void end(VmTrack t, Outcome outcome, Instant at, String reason, RecordRef ref) {
        Timeline tl = t.current;
        if (tl == null || tl.ended) {
            return;
        }
        tl.ended = true;
        tl.seen(at);
        if (reason != null) {
            tl.reason = reason;
        }
        MigrationPlan plan = tl.plan;
        if (outcome == Outcome.COMPLETED || outcome == Outcome.ROLLED_BACK) {
            Map<DeviceId, MigrationState> src = new TreeMap<>();
            Map<DeviceId, MigrationState> dst = new TreeMap<>();
            for (DevicePlan d : plan.devices()) {
                src.put(d.source(), stateOf(t, d.source()));
                dst.put(d.destination(), stateOf(t, d.destination()));
            }
            Termination.Outcome o = outcome == Outcome.COMPLETED ? Termination.Outcome.COMPLETED
                    : Termination.Outcome.ROLLED_BACK;
            for (Violation v : Termination.check(new Termination.Ending(t.vm, o, plan.sourceHost(),
                    plan.destinationHost(), src, dst, p2p.running(t.vm, plan.sourceHost()),
                    p2p.running(t.vm, plan.destinationHost()), Map.of(), position))) {
                violation(AuditRule.NOT_IN_ONE_PLACE, t, Optional.empty(), List.of(ref),
                        "migration " + plan.migration() + ": " + v.detail() + " (the agents' last reported states)");
            }
        }
        keep(tl.report(outcome, Optional.of(at)));
        t.current = null; // its report is kept; a VM between migrations holds no timeline
    }

    private record Failure(MigrationPlan plan, SagaEvent.MigrationFailed event, RecordRef ref) {}

    /**
     * A FAILED migration leaves devices wherever they stopped; the coordinator's report of their
     * states is what an operator acts on, so each device's real state must be the one its agent last
     * reported to the coordinator or the target of a command the failure lists as unanswered (an arc
     * under way can end after the coordinator gave up). Judged against the agents' last reports before the VM's next plan (or at the
     * end), not at the MigrationFailed entry: an agent's last event can be read on either side of
     * that entry (clocks, layout), and a transition still under way when the coordinator gave up
     * can end after it. Devices the audited range shows no event of (with {@code --since}) are not
     * judged.
     */
    private void judgeFailure(VmTrack t) {
        Failure f = t.failed;
        if (f == null) {
            return;
        }
        t.failed = null;
        Map<DeviceId, MigrationState> reported = new HashMap<>();
        Map<DeviceId, Set<MigrationState>> unanswered = new HashMap<>();
        f.event().devices().forEach(s -> {
            reported.put(s.device(), s.state());
            unanswered.put(s.device(), s.doubtful());
        });
        for (DevicePlan p : f.plan().devices()) {
            for (DeviceId id : List.of(p.source(), p.destination())) {
                DeviceTrack d = t.devices.get(id);
                if (d == null || d.state == null) {
                    continue;
                }
                // One device per check, so that each violation names its device.
                boolean source = id.equals(p.source());
                Map<DeviceId, MigrationState> one = Map.of(id, d.state);
                for (Violation v : Termination.check(new Termination.Ending(t.vm, Termination.Outcome.FAILED,
                        f.plan().sourceHost(), f.plan().destinationHost(), source ? one : Map.of(),
                        source ? Map.of() : one, false, false, reported, unanswered, position))) {
                    violation(AuditRule.FAILED_STATE_MISREPORTED, t, Optional.of(id), List.of(f.ref(), d.lastRef),
                            "migration " + f.plan().migration() + ": " + v.detail() + " (its agent's last report, at "
                                    + d.lastRef + ")");
                }
            }
        }
    }

    private static MigrationState stateOf(VmTrack t, DeviceId id) {
        DeviceTrack d = t.devices.get(id);
        return d == null || d.state == null ? MigrationState.ERROR : d.state;
    }

    private void keep(MigrationReport m) {
        if (migrations.size() >= KEPT_MIGRATIONS) {
            migrations.remove(0);
        }
        migrations.add(m);
    }

    /** A DeviceReported record must be an event its agent produced (the primary evidence). */
    private void crossCheck(VmTrack t, AgentEvent reported, RecordRef ref) {
        if (!(reported instanceof AgentEvent.DeviceEvent)) {
            return;
        }
        AgentEvent.DeviceEvent de = (AgentEvent.DeviceEvent) reported;
        DeviceTrack d = t.devices.get(de.device());
        Produced p = d == null ? null : d.produced.get(de.sequence());
        if (p != null) {
            compare(t, reported, ref, p);
            reported(d, p);
            return;
        }
        if (d != null && de.sequence() <= d.lastSequence) {
            if (de.sequence() >= d.producedFloor()) {
                unbacked(t, de, ref); // within the window the agent's topic shows, and the agent never produced it
            }
            // else: before the audited range or the window kept (the window is far longer than any consumer lag)
            return;
        }
        if (!scope.fromStart() && d != null && de.sequence() < d.firstSequence) {
            return;
        }
        LinkedHashMap<Long, Produced> waiting = t.awaiting.computeIfAbsent(de.device(), k -> new LinkedHashMap<>());
        waiting.put(de.sequence(), new Produced(reported, ref));
        if (waiting.size() > PRODUCED_WINDOW) {
            Map.Entry<Long, Produced> eldest = waiting.entrySet().iterator().next();
            waiting.remove(eldest.getKey());
            unbacked(t, (AgentEvent.DeviceEvent) eldest.getValue().event(), eldest.getValue().ref());
        }
    }

    /** The agent's event arrived: a DeviceReported record that waited for it is judged now. */
    private void resolveAwaiting(VmTrack t, AgentEvent.DeviceEvent produced, RecordRef ref) {
        LinkedHashMap<Long, Produced> waiting = t.awaiting.get(produced.device());
        Produced w = waiting == null ? null : waiting.remove(produced.sequence());
        if (w != null) {
            DeviceTrack d = t.devices.get(produced.device());
            Produced p = d.produced.get(produced.sequence());
            compare(t, w.event(), w.ref(), p);
            reported(d, p);
        }
    }

    private void compare(VmTrack t, AgentEvent reported, RecordRef ref, Produced p) {
        if (p.event().equals(reported)) {
            return;
        }
        AgentEvent.DeviceEvent de = (AgentEvent.DeviceEvent) reported;
        violation(AuditRule.FORGED_DEVICE_EVENT, t, Optional.of(de.device()), List.of(ref, p.ref()),
                "the coordinator log records " + de.kind() + " #" + de.sequence() + " of device " + de.device()
                        + " differently from what " + p.event().agent() + " produced at " + p.ref() + ": logged "
                        + reported + ", produced " + p.event());
    }

    private void unbacked(VmTrack t, AgentEvent.DeviceEvent de, RecordRef ref) {
        violation(AuditRule.FORGED_DEVICE_EVENT, t, Optional.of(de.device()), List.of(ref),
                "the coordinator log records " + de.kind() + " #" + de.sequence() + " of device " + de.device()
                        + " from " + de.agent() + " on " + de.host() + ", but no agent produced it on " + deviceEvents);
    }

    // ------------------------------------------------------------------ device events

    private void onDeviceEvent(LoggedRecord r, byte[] value, RecordRef ref) {
        Decoded<AgentEvent> decoded = LogCodec.decodeAgentEvent(value, recent);
        if (decoded instanceof Decoded.Failed) {
            undecodable(r, keyVm(r), "not an agent event: " + ((Decoded.Failed<AgentEvent>) decoded).failure());
            return;
        }
        AgentEvent e = decoded.orElseThrow();
        if (!(e instanceof AgentEvent.DeviceEvent)) {
            return; // heartbeats carry no evidence of their own: every change they show was reported as an event
        }
        AgentEvent.DeviceEvent de = (AgentEvent.DeviceEvent) e;
        VmTrack t = track(e.vm());
        DeviceTrack d = t.devices.get(de.device());
        if (d != null && (!d.agent.equals(e.agent()) || !d.host.equals(e.host()))) {
            violation(AuditRule.FORGED_DEVICE_EVENT, t, Optional.of(de.device()), List.of(ref, d.lastRef),
                    de.kind() + " #" + de.sequence() + " of device " + de.device() + " comes from " + e.agent() + " on "
                            + e.host() + ", but the device is registered by " + d.agent + " on " + d.host);
            return;
        }
        if (d == null && e.kind() != AgentEvent.Kind.DEVICE_REGISTERED) {
            violation(AuditRule.FORGED_DEVICE_EVENT, t, Optional.of(de.device()), List.of(ref),
                    de.kind() + " #" + de.sequence() + " from " + e.agent() + " on " + e.host() + " is about device "
                            + de.device() + ", which no agent registered for " + e.vm());
            return;
        }
        if (d == null) {
            d = new DeviceTrack(de.device());
            d.host = e.host();
            d.agent = e.agent();
            t.devices.put(d.id, d);
        }
        Continuity c = sequence(t, d, de, ref);
        if (c == Continuity.REPEAT) {
            return; // already applied once; applying it again would invent a second transition
        }
        d.lastSequence = de.sequence();
        d.lastRef = ref;
        d.produced.put(de.sequence(), new Produced(e, ref));
        resolveAwaiting(t, de, ref);
        Timeline tl = t.current != null && !t.current.ended ? t.current : null;
        if (tl != null) {
            tl.seen(e.at());
        }
        switch (e.kind()) {
            case DEVICE_REGISTERED: {
                AgentEvent.DeviceRegistered reg = (AgentEvent.DeviceRegistered) e;
                d.flags = reg.migrationFlags();
                FlagsReading reading = new MigrationFlags(reg.migrationFlags()).read();
                d.capability = reading instanceof FlagsReading.Defined
                        ? Optional.of(((FlagsReading.Defined) reading).capability()) : Optional.empty();
                changeState(t, d, reg.state(), e.at(), ref);
                break;
            }
            case DEVICE_STATE_CHANGED: {
                AgentEvent.DeviceStateChanged sc = (AgentEvent.DeviceStateChanged) e;
                checkArc(t, d, sc, c == Continuity.GAP, ref);
                changeState(t, d, sc.to(), e.at(), ref);
                break;
            }
            case TRANSITION_FAILED:
                changeState(t, d, ((AgentEvent.TransitionFailed) e).readBack(), e.at(), ref);
                break;
            case DATA_TRANSFER_COMPLETED: {
                AgentEvent.DataTransferCompleted dc = (AgentEvent.DataTransferCompleted) e;
                LaneBuilder lane = tl == null ? null : tl.lanes.get(d.id);
                if (lane != null && dc.direction() == AgentEvent.Direction.SEND) {
                    lane.bytes = Math.max(lane.bytes, dc.bytes());
                }
                break;
            }
            case PRE_COPY_PROGRESS:
            case DATA_TRANSFER_PROGRESS:
            case DATA_TRANSFER_FAILED:
            case AGENT_HEARTBEAT:
                break;
        }
    }

    private enum Continuity {
        NEXT,
        GAP,
        REPEAT
    }

    private Continuity sequence(VmTrack t, DeviceTrack d, AgentEvent.DeviceEvent e, RecordRef ref) {
        long seq = e.sequence();
        if (d.lastSequence < 0) {
            d.firstSequence = seq;
            if (scope.fromStart() && seq != 1) {
                violation(AuditRule.SEQUENCE_GAP, t, Optional.of(d.id), List.of(ref), "the first event of device " + d.id
                        + " has sequence " + seq + ": events 1.." + (seq - 1) + " are missing");
                return Continuity.GAP;
            }
            return Continuity.NEXT;
        }
        if (seq <= d.lastSequence) {
            Produced before = d.produced.get(seq);
            if (before != null && before.event().equals(e)) {
                // A re-delivery, not a repeat: agents send the same event again by design (a command
                // applied before is re-reported; events unacknowledged at a crash are resent), and
                // the saga ignores it by sequence. It is no new evidence and no violation.
                return Continuity.REPEAT;
            }
            violation(AuditRule.SEQUENCE_REPEAT, t, Optional.of(d.id), List.of(ref, d.lastRef), e.kind() + " of device "
                    + d.id + " has sequence " + seq + " after sequence " + d.lastSequence + " at " + d.lastRef);
            return Continuity.REPEAT;
        }
        if (seq > d.lastSequence + 1) {
            violation(AuditRule.SEQUENCE_GAP, t, Optional.of(d.id), List.of(d.lastRef, ref), "device " + d.id
                    + " jumps from sequence " + d.lastSequence + " at " + d.lastRef + " to " + seq + " at " + ref
                    + ": events " + (d.lastSequence + 1) + ".." + (seq - 1) + " are missing");
            return Continuity.GAP;
        }
        return Continuity.NEXT;
    }

    private void checkArc(VmTrack t, DeviceTrack d, AgentEvent.DeviceStateChanged e, boolean gap, RecordRef ref) {
        if (e.from() == e.to()) {
            return; // a re-report (the kernel's SET to the current state is a no-op)
        }
        if (!gap && d.state != null && e.from() != d.state) {
            violation(AuditRule.ILLEGAL_ARC, t, Optional.of(d.id), List.of(ref, d.lastRef), "device " + d.id
                    + " reports " + e.from() + ">" + e.to() + " but its previous event left it in " + d.state);
            return;
        }
        boolean reset = e.to() == MigrationState.RUNNING && e.answers().map(d.resets::contains).orElse(false);
        if (e.to() == MigrationState.ERROR || reset || isArc(d.capability, e.from(), e.to())) {
            return;
        }
        if (e.to() == MigrationState.RUNNING && e.answers().isPresent()) {
            // May answer a ResetDevice entry not read yet: judged when it comes, or at the end.
            d.pendingResets.put(e.answers().get(), new PendingReset(e, ref, d.flags, d.capability));
            if (d.pendingResets.size() > KEPT_RESETS) {
                PendingReset eldest = d.pendingResets.remove(d.pendingResets.keySet().iterator().next());
                notAnArc(t, d, eldest);
            }
            return;
        }
        notAnArc(t, d, new PendingReset(e, ref, d.flags, d.capability));
    }

    private void notAnArc(VmTrack t, DeviceTrack d, PendingReset p) {
        violation(AuditRule.ILLEGAL_ARC, t, Optional.of(d.id), List.of(p.ref()), "device " + d.id + " went "
                + p.event().from() + ">" + p.event().to() + ", which is not a kernel arc for its flags "
                + new MigrationFlags(p.flags()).describe()
                + p.capability().map(c -> " (" + c + ")").orElse(" (undefined: no arc is allowed)")
                + p.event().answers().map(c -> "; it answers " + c + ", which is no ResetDevice command the coordinator"
                        + " log records for it").orElse(""));
    }

    /**
     * ARCS[capability][from][to]: {@code to} is exactly the first step the kernel takes from
     * {@code from} towards it (one kernel arc). Precomputed: it is asked for every state change.
     */
    private static final boolean[][][] ARCS = arcs();

    private static boolean[][][] arcs() {
        MigrationCapability[] caps = MigrationCapability.values();
        MigrationState[] states = MigrationState.values();
        boolean[][][] out = new boolean[caps.length][states.length][states.length];
        for (MigrationCapability c : caps) {
            for (MigrationState from : states) {
                for (MigrationState to : states) {
                    Transition t = MigrationFsm.next(c, from, to);
                    out[c.ordinal()][from.ordinal()][to.ordinal()] = from != to && t instanceof Transition.Path
                            && ((Transition.Path) t).next() == to;
                }
            }
        }
        return out;
    }

    private static boolean isArc(Optional<MigrationCapability> capability, MigrationState from, MigrationState to) {
        return capability.isPresent() && ARCS[capability.get().ordinal()][from.ordinal()][to.ordinal()];
    }

    private void changeState(VmTrack t, DeviceTrack d, MigrationState state, Instant at, RecordRef ref) {
        if (state == d.state) {
            return;
        }
        d.state = state;
        Timeline tl = t.current != null && !t.current.ended ? t.current : null;
        LaneBuilder lane = tl == null ? null : tl.lanes.get(d.id);
        if (lane != null && tl.room()) {
            lane.bands.add(new MigrationReport.Band(at, state));
        }
        List<Violation> found = p2p.observe(new Observed.DeviceState(t.vm, d.host, d.id, state, position));
        for (Violation v : found) {
            List<RecordRef> refs = new ArrayList<>();
            refs.add(ref);
            for (DeviceTrack peer : t.devices.values()) {
                if (peer != d && peer.host.equals(d.host) && peer.state != null
                        && (v.rule() == dev.vfo.core.invariant.Rule.STOP_BEFORE_PEERS_QUIESCED
                                ? peer.state.mayInitiateP2p() : peer.state.isHalted())) {
                    refs.add(peer.lastRef);
                }
            }
            AuditRule rule = v.rule() == dev.vfo.core.invariant.Rule.STOP_BEFORE_PEERS_QUIESCED
                    ? AuditRule.STOP_BEFORE_PEERS_QUIESCED : AuditRule.RUN_WHILE_PEER_HALTED;
            violation(rule, t, Optional.of(d.id), refs, v.detail());
        }
    }

    // ------------------------------------------------------------------ violations and the end

    private void violation(AuditRule rule, VmTrack t, Optional<DeviceId> device, List<RecordRef> refs, String message) {
        if (t.current != null) {
            t.current.violations++;
        }
        violation(rule, Optional.of(t.vm), device, refs, message);
    }

    private void violation(AuditViolation v) {
        violation(v.rule(), v.vm(), v.device(), v.records(), v.message());
    }

    private void violation(AuditRule rule, Optional<VmId> vm, Optional<DeviceId> device, List<RecordRef> refs,
            String message) {
        violationCount++;
        if (violations.size() < KEPT_VIOLATIONS) {
            List<RecordRef> present = new ArrayList<>();
            refs.stream().filter(Objects::nonNull).distinct().forEach(present::add);
            violations.add(new AuditViolation(rule, vm, device, present, message));
        }
    }

    /**
     * How many entries the running state holds: VMs, devices, recent agent events, reset command
     * ids, DeviceReported records and resets waiting, timeline bands and marks, kept reports and
     * violations. Bounded per VM and device, never by the log's length (MemoryBoundsTest).
     */
    long retained() {
        long n = vms.size() + migrations.size() + violations.size();
        for (VmTrack t : vms.values()) {
            n += t.devices.size();
            for (DeviceTrack d : t.devices.values()) {
                n += d.produced.size() + d.resets.size() + d.pendingResets.size();
            }
            for (LinkedHashMap<Long, Produced> w : t.awaiting.values()) {
                n += w.size();
            }
            if (t.current != null) {
                n += t.current.size;
            }
        }
        return n;
    }

    /**
     * Ends the audit at {@code now} (the wall clock for live topics): a migration that has not
     * ended is IN_FLIGHT while the saga's next deadline is ahead of {@code now}, else STUCK.
     */
    public AuditReport finish(Instant now) {
        for (VmTrack t : vms.values()) {
            t.awaiting.values().forEach(w -> w.values().forEach(
                    p -> unbacked(t, (AgentEvent.DeviceEvent) p.event(), p.ref())));
            t.devices.values().forEach(d -> d.pendingResets.values().forEach(p -> notAnArc(t, d, p)));
            judgeFailure(t);
            if (t.replay != null) {
                t.replay.end().ifPresent(m -> violation(AuditRule.DECISION_MISMATCH, t, Optional.empty(), List.of(), m));
            }
            Timeline tl = t.current;
            if (tl == null || tl.ended) {
                continue;
            }
            Optional<Instant> deadline = t.replay == null ? Optional.empty() : saga.nextDeadline(t.replay.state());
            if (deadline.isPresent() && !deadline.get().isBefore(now)) {
                keep(tl.report(Outcome.IN_FLIGHT, Optional.empty()));
            } else {
                String phase = tl.phases.isEmpty() ? "no phase" : "phase " + tl.phases.get(tl.phases.size() - 1).name();
                violation(AuditRule.MIGRATION_STUCK, t, Optional.empty(), List.of(), "migration " + tl.plan.migration()
                        + " was accepted at " + tl.plan.acceptedAt() + ", is in " + phase + " and has not ended; "
                        + deadline.map(d -> "its next deadline " + d + " passed before " + now)
                                .orElse("the log shows no deadline to wait for"));
                keep(tl.report(Outcome.STUCK, Optional.empty()));
            }
        }
        if (ownsQuarantine) {
            Quarantine.Findings found = quarantine.finish(scope.fromStart());
            found.kept().forEach(this::violation);
            violationCount += found.count() - found.kept().size();
        }
        int devices = vms.values().stream().mapToInt(v -> v.devices.size()).sum();
        Map<String, Long> perTopic = new TreeMap<>(counts);
        if (deviceEventCount > 0) {
            perTopic.put(deviceEvents, deviceEventCount);
        }
        if (logEntryCount > 0) {
            perTopic.put(coordinatorLog, logEntryCount);
        }
        return new AuditReport(perTopic, deadLetters, vms.size(), devices, chainEntries, migrations, violations,
                violationCount, scope.fromStart(), now, ownsQuarantine ? quarantine.quarantined() : List.of(),
                ownsQuarantine ? quarantine.quarantinedCount() : 0);
    }
}
