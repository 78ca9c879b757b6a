package dev.vfo.coordinator.view;

import dev.vfo.coordinator.api.DeviceView;
import dev.vfo.coordinator.api.MigrationEvent;
import dev.vfo.coordinator.api.MigrationFilter;
import dev.vfo.coordinator.api.MigrationPolicy;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.MigrationWatcher;
import dev.vfo.coordinator.api.SubmitOutcome;
import dev.vfo.coordinator.api.VmView;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.KnownDevice;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaState;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model every instance keeps, whichever partitions its loop owns: it follows the whole
 * coordinator log (all partitions, read_committed, no group) and folds it per VM with the saga's
 * own {@code evolve}, so any instance answers a GET or an SSE subscription for any VM, and the
 * outcome of a submitted request is what the owning instance's loop committed.
 *
 * <p>Its thread is the only writer; readers synchronise on the ledger. Watchers are called on the
 * ledger thread under the lock (they only hand the event on, by contract).
 */
public final class MigrationLedger implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationLedger.class);
    /** A device not heard of for longer is shown as not alive (the saga's default silence limit). */
    private static final Duration ALIVE = dev.vfo.core.saga.MigrationPolicy.defaults().silenceLimit();

    private final MigrationSaga saga = new MigrationSaga();
    private final Consumer<byte[], byte[]> reader;
    private final String logTopic;
    private final Clock clock;

    private final Map<VmId, SagaState> vms = new HashMap<>();
    private final Map<VmId, SagaEvent> lastInput = new HashMap<>();
    private final Map<MigrationId, MigrationTrack> tracks = new LinkedHashMap<>();
    private final Map<DeviceId, AgentEvent.DeviceRegistered> registrations = new HashMap<>();
    private final Map<MigrationId, List<CompletableFuture<SubmitOutcome>>> pending = new HashMap<>();
    private final Map<MigrationId, MigrationPolicy> requested = new HashMap<>();

    private volatile boolean running = true;
    private volatile boolean caughtUp;

    public MigrationLedger(Consumer<byte[], byte[]> reader, String logTopic, Clock clock) {
        this.reader = reader;
        this.logTopic = logTopic;
        this.clock = clock;
    }

    /** True once the ledger read the log up to where it ended when the ledger started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public void stop() {
        running = false;
        reader.wakeup();
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> tps = reader.partitionsFor(logTopic).stream()
                    .map(p -> new TopicPartition(logTopic, p.partition())).collect(Collectors.toList());
            reader.assign(tps);
            reader.seekToBeginning(tps);
            Map<TopicPartition, Long> end = reader.endOffsets(tps);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    Decoded<CoordinatorLogEntry> d = r.value() == null ? null : LogCodec.decodeLogEntry(r.value());
                    if (d == null || d.kind() == Decoded.Kind.FAILED) {
                        LOG.error("{}-{}@{} is not a log entry; the read model skips it", r.topic(), r.partition(),
                                r.offset());
                        continue;
                    }
                    synchronized (this) {
                        apply(d.orElseThrow());
                    }
                }
                if (!caughtUp && tps.stream().allMatch(tp -> reader.position(tp) >= end.get(tp))) {
                    caughtUp = true;
                    LOG.info("read model caught up with {}", logTopic);
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (RuntimeException e) {
            LOG.error("the read model stops", e);
        } finally {
            caughtUp = false;
            reader.close(Duration.ofSeconds(5));
            synchronized (this) {
                pending.values().forEach(l -> l.forEach(f -> f.completeExceptionally(
                        new IllegalStateException("the coordinator is stopping"))));
                tracks.values().forEach(t -> t.watchers.forEach(MigrationWatcher::onEnd));
            }
        }
    }

    private void apply(CoordinatorLogEntry entry) {
        VmId vm = entry.vm();
        SagaEvent e = entry.event();
        SagaState before = vms.getOrDefault(vm, SagaState.EMPTY);
        SagaState after = saga.evolve(before, e);
        vms.put(vm, after);
        if (e.recordsInput()) {
            lastInput.put(vm, e);
        }
        switch (e.kind()) {
            case PLAN_ACCEPTED -> {
                SagaEvent.PlanAccepted a = (SagaEvent.PlanAccepted) e;
                MigrationTrack t = new MigrationTrack(a.plan());
                tracks.put(a.plan().migration(), t);
                t.record(e);
                answer(a.plan().migration(), new SubmitOutcome.Accepted(view(t)));
            }
            case PLAN_REJECTED -> {
                SagaEvent.PlanRejected r = (SagaEvent.PlanRejected) e;
                answer(r.migration(), before.active().isPresent()
                        ? new SubmitOutcome.AlreadyMigrating(before.active().get().plan().migration())
                        : new SubmitOutcome.Refused(String.join("; ", r.reasons())));
            }
            case INPUT_IGNORED -> {
                SagaEvent input = lastInput.get(vm);
                if (input != null && input.kind() == SagaEvent.Kind.MIGRATION_REQUESTED) {
                    MigrationId id = ((SagaEvent.MigrationRequested) input).request().migration();
                    MigrationTrack t = tracks.get(id);
                    answer(id, t != null ? new SubmitOutcome.Duplicate(view(t))
                            : new SubmitOutcome.Refused(((SagaEvent.InputIgnored) e).reason()));
                }
            }
            case PHASE_ENTERED -> publish(((SagaEvent.PhaseEntered) e).migration(), e);
            case BARRIER_REACHED -> publish(((SagaEvent.BarrierReached) e).migration(), e);
            case SWITCHOVER_DECIDED -> publish(((SagaEvent.SwitchoverDecided) e).migration(), e);
            case COMMAND_ISSUED -> publish(((SagaEvent.CommandIssued) e).command().migration(), e);
            case ROLLBACK_STARTED -> publish(((SagaEvent.RollbackStarted) e).migration(), e);
            case MIGRATION_COMPLETED -> publish(((SagaEvent.MigrationCompleted) e).migration(), e);
            case MIGRATION_ROLLED_BACK -> publish(((SagaEvent.MigrationRolledBack) e).migration(), e);
            case MIGRATION_FAILED -> publish(((SagaEvent.MigrationFailed) e).migration(), e);
            case DEVICE_REPORTED -> reported(((SagaEvent.DeviceReported) e).event(), after);
            case MIGRATION_REQUESTED, CANCEL_REQUESTED, TIMER_FIRED, EPOCH_BEGAN -> {
                // inputs: what they caused follows them in the log
            }
        }
    }

    private void reported(AgentEvent event, SagaState after) {
        if (event instanceof AgentEvent.DeviceRegistered r) {
            KnownDevice k = after.inventory().get(r.device());
            if (k != null && k.agent().equals(r.agent())) {
                registrations.put(r.device(), r);
            }
        } else if (event instanceof AgentEvent.DataTransferCompleted c && c.direction() == AgentEvent.Direction.SEND) {
            MigrationTrack t = tracks.get(c.migration());
            if (t != null) {
                t.transferred(c.device(), c.bytes());
            }
        }
    }

    private void publish(MigrationId id, SagaEvent e) {
        MigrationTrack t = tracks.get(id);
        if (t == null) {
            return;
        }
        Optional<MigrationEvent> m = t.record(e);
        if (m.isEmpty()) {
            return;
        }
        for (MigrationWatcher w : List.copyOf(t.watchers)) {
            w.onEvent(m.get());
            if (m.get().terminal()) {
                w.onEnd();
            }
        }
        if (m.get().terminal()) {
            t.watchers.clear();
        }
    }

    private void answer(MigrationId id, SubmitOutcome outcome) {
        List<CompletableFuture<SubmitOutcome>> waiting = pending.remove(id);
        if (waiting != null) {
            waiting.forEach(f -> f.complete(outcome));
        }
    }

    private MigrationView view(MigrationTrack t) {
        return t.view(vms.getOrDefault(t.plan.vm(), SagaState.EMPTY), Optional.ofNullable(requested.get(t.plan.migration())));
    }

    // ------------------------------------------------------------------ queries (any thread)

    /** Waits for the saga's answer to a request with this id; the desk sends the request after this. */
    synchronized CompletableFuture<SubmitOutcome> expect(MigrationId id, MigrationPolicy asRequested) {
        requested.putIfAbsent(id, asRequested);
        CompletableFuture<SubmitOutcome> f = new CompletableFuture<>();
        pending.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
        return f;
    }

    synchronized void forget(MigrationId id, CompletableFuture<SubmitOutcome> f) {
        List<CompletableFuture<SubmitOutcome>> l = pending.get(id);
        if (l != null) {
            l.remove(f);
            if (l.isEmpty()) {
                pending.remove(id);
            }
        }
    }

    synchronized Optional<MigrationView> migration(MigrationId id) {
        return Optional.ofNullable(tracks.get(id)).map(this::view);
    }

    /** Whether {@code id} passed its commit point or ended: the reason a cancel is too late. */
    synchronized Optional<String> tooLateToCancel(MigrationId id) {
        MigrationTrack t = tracks.get(id);
        if (t == null) {
            return Optional.empty();
        }
        if (t.ended()) {
            return Optional.of("migration " + id + " already ended (" + t.status + ")");
        }
        if (t.committed) {
            return Optional.of("migration " + id + " passed its commit point: the destination holds the devices");
        }
        return Optional.empty();
    }

    synchronized List<MigrationView> migrations(MigrationFilter filter) {
        List<MigrationTrack> all = new ArrayList<>(tracks.values());
        Collections.reverse(all);
        return all.stream().map(this::view).filter(filter::matches).limit(filter.limit()).toList();
    }

    /** The device as the VM's folded state knows it. */
    synchronized Optional<KnownDevice> device(VmId vm, DeviceId id) {
        return Optional.ofNullable(vms.getOrDefault(vm, SagaState.EMPTY).inventory().get(id));
    }

    synchronized List<DeviceView> devices() {
        List<DeviceView> out = new ArrayList<>();
        vms.keySet().stream().sorted().forEach(vm -> out.addAll(devicesOf(vm)));
        return out;
    }

    private List<DeviceView> devicesOf(VmId vm) {
        Instant now = clock.instant();
        List<DeviceView> out = new ArrayList<>();
        for (KnownDevice k : vms.get(vm).inventory().values()) {
            AgentEvent.DeviceRegistered r = registrations.get(k.device());
            out.add(new DeviceView(k.device(), k.host(), Optional.of(vm), k.state(), k.model(),
                    r == null ? "" : r.pciAddress(), r == null ? "" : r.driver(), k.migrationFlags(), k.lastSeen(),
                    Duration.between(k.lastSeen(), now).compareTo(ALIVE) <= 0));
        }
        return out;
    }

    synchronized Optional<VmView> vm(VmId vm) {
        SagaState s = vms.get(vm);
        if (s == null) {
            return Optional.empty();
        }
        List<MigrationView> ms = new ArrayList<>();
        tracks.values().stream().filter(t -> t.plan.vm().equals(vm)).forEach(t -> ms.add(0, view(t)));
        return Optional.of(new VmView(vm, s.active().map(a -> a.plan().migration()), devicesOf(vm), ms));
    }

    /** Replays the known events after {@code after}, then subscribes; empty for an unknown migration. */
    synchronized Optional<Runnable> watch(MigrationId id, long after, MigrationWatcher watcher) {
        MigrationTrack t = tracks.get(id);
        if (t == null) {
            return Optional.empty();
        }
        for (MigrationEvent e : t.events) {
            if (e.sequence() > after) {
                watcher.onEvent(e);
            }
        }
        if (t.ended()) {
            watcher.onEnd();
            return Optional.of(() -> { });
        }
        t.watchers.add(watcher);
        return Optional.of(() -> {
            synchronized (MigrationLedger.this) {
                t.watchers.remove(watcher);
            }
        });
    }

    synchronized long inFlight() {
        return tracks.values().stream().filter(t -> !t.ended()).count();
    }
}
