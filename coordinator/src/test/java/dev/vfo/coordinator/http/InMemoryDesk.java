package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.CancelOutcome;
import dev.vfo.coordinator.api.DevicePairing;
import dev.vfo.coordinator.api.DeviceProgress;
import dev.vfo.coordinator.api.DeviceView;
import dev.vfo.coordinator.api.MigrationDesk;
import dev.vfo.coordinator.api.MigrationEvent;
import dev.vfo.coordinator.api.MigrationFilter;
import dev.vfo.coordinator.api.MigrationRequest;
import dev.vfo.coordinator.api.MigrationStatus;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.MigrationWatcher;
import dev.vfo.coordinator.api.Readiness;
import dev.vfo.coordinator.api.SubmitOutcome;
import dev.vfo.coordinator.api.VmView;
import dev.vfo.coordinator.api.Watch;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A desk for testing the HTTP layer: the rules the real loop will enforce, in memory. It answers
 * from its own thread after {@code answerDelayMs} (like the loop, which answers from its Kafka
 * thread), so the API's hop back to its context and the idempotency race are really exercised.
 *
 * <p>Plan rules: a device whose id starts with {@code unknown} is refused (422); a VM with an
 * ACTIVE migration answers AlreadyMigrating (409); a known migration id answers Duplicate.
 * {@link #passCommitPoint} makes cancel answer TooLate.
 */
final class InMemoryDesk implements MigrationDesk {
    final AtomicInteger submits = new AtomicInteger();
    volatile long answerDelayMs = 20;
    volatile boolean broken;
    volatile Readiness readiness = new Readiness(false, false, "replaying the log");
    final List<DeviceView> devices = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "in-memory-desk");
        t.setDaemon(true);
        return t;
    });
    private final Map<MigrationId, MigrationView> migrations = new LinkedHashMap<>();
    private final Map<MigrationId, List<MigrationEvent>> events = new LinkedHashMap<>();
    private final Map<MigrationId, List<Subscriber>> watchers = new LinkedHashMap<>();
    private final Map<MigrationId, Boolean> pastCommit = new LinkedHashMap<>();

    private static final class Subscriber implements Watch {
        final MigrationWatcher watcher;
        volatile boolean cancelled;
        final Runnable onCancel;

        Subscriber(MigrationWatcher watcher, Runnable onCancel) {
            this.watcher = watcher;
            this.onCancel = onCancel;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                onCancel.run();
            }
        }
    }

    private <T> Future<T> later(java.util.function.Supplier<T> answer) {
        if (broken) {
            return Future.failedFuture(new IllegalStateException("the desk lost its partitions"));
        }
        Promise<T> p = Promise.promise();
        thread.schedule(() -> {
            try {
                p.complete(answer.get());
            } catch (RuntimeException e) {
                p.fail(e);
            }
        }, answerDelayMs, TimeUnit.MILLISECONDS);
        return p.future();
    }

    private <T> T onDeskThread(java.util.concurrent.Callable<T> work) {
        try {
            return thread.submit(work).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<SubmitOutcome> submit(MigrationRequest request) {
        return later(() -> {
            submits.incrementAndGet();
            MigrationView known = migrations.get(request.id());
            if (known != null) {
                return new SubmitOutcome.Duplicate(known);
            }
            Optional<MigrationView> active = migrations.values().stream()
                    .filter(m -> m.vm().equals(request.vm()) && m.status() == MigrationStatus.ACTIVE).findFirst();
            if (active.isPresent()) {
                return new SubmitOutcome.AlreadyMigrating(active.get().id());
            }
            for (DevicePairing p : request.devices()) {
                for (DeviceId d : List.of(p.source(), p.destination())) {
                    if (d.value().startsWith("unknown")) {
                        return new SubmitOutcome.Refused("device " + d + " is not registered by any agent");
                    }
                }
            }
            MigrationView view = new MigrationView(request.id(), request.vm(), MigrationStatus.ACTIVE, "PRE_COPY",
                    request.devices().stream().map(p -> new DeviceProgress(p, MigrationState.PRE_COPY_P2P,
                            MigrationState.RESUMING, 0)).toList(),
                    request.policy(), Instant.parse("2026-11-23T20:00:00Z"), Optional.empty(), OptionalLong.empty(), 0,
                    Map.of(), Optional.empty());
            migrations.put(request.id(), view);
            events.put(request.id(), new ArrayList<>());
            append(request.id(), "MigrationStarted", new JsonObject().put("vm", request.vm().value()), false);
            return new SubmitOutcome.Accepted(view);
        });
    }

    @Override
    public Future<CancelOutcome> cancel(MigrationId id, String requestedBy) {
        return later(() -> {
            MigrationView m = migrations.get(id);
            if (m == null) {
                return new CancelOutcome.NotFound();
            }
            if (pastCommit.getOrDefault(id, false)) {
                return new CancelOutcome.TooLate("migration " + id + " passed its commit point: the destination resumed");
            }
            return new CancelOutcome.Cancelling(m);
        });
    }

    @Override
    public Future<Optional<MigrationView>> migration(MigrationId id) {
        return later(() -> Optional.ofNullable(migrations.get(id)));
    }

    @Override
    public Future<List<MigrationView>> migrations(MigrationFilter filter) {
        return later(() -> {
            List<MigrationView> all = new ArrayList<>(migrations.values());
            java.util.Collections.reverse(all);
            return all.stream().filter(filter::matches).limit(filter.limit()).toList();
        });
    }

    @Override
    public Future<List<DeviceView>> devices() {
        return later(() -> List.copyOf(devices));
    }

    @Override
    public Future<Optional<VmView>> vm(VmId vm) {
        return later(() -> {
            List<DeviceView> ds = devices.stream().filter(d -> d.vm().equals(Optional.of(vm))).toList();
            List<MigrationView> ms = new ArrayList<>(migrations.values().stream().filter(m -> m.vm().equals(vm)).toList());
            ms.sort(Comparator.comparing(MigrationView::createdAt).reversed());
            if (ds.isEmpty() && ms.isEmpty()) {
                return Optional.<VmView>empty();
            }
            Optional<MigrationId> active = ms.stream().filter(m -> m.status() == MigrationStatus.ACTIVE)
                    .map(MigrationView::id).findFirst();
            return Optional.of(new VmView(vm, active, ds, ms));
        });
    }

    @Override
    public Future<Optional<Watch>> watch(MigrationId id, long afterSequence, MigrationWatcher watcher) {
        return later(() -> {
            if (!migrations.containsKey(id)) {
                return Optional.<Watch>empty();
            }
            List<Subscriber> subs = watchers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
            Subscriber s = new Subscriber(watcher, () -> thread.execute(() -> watchers.get(id).removeIf(x -> x.cancelled)));
            // Replay, then live: both on this thread, so nothing is missed or doubled in between.
            List<MigrationEvent> known = events.get(id);
            for (MigrationEvent e : known) {
                if (e.sequence() > afterSequence) {
                    watcher.onEvent(e);
                }
            }
            if (!known.isEmpty() && known.get(known.size() - 1).terminal()) {
                watcher.onEnd();
            } else {
                subs.add(s);
            }
            return Optional.of(s);
        });
    }

    @Override
    public Future<Readiness> readiness() {
        return later(() -> readiness);
    }

    /** Appends an event as the loop would, telling live watchers. */
    void publish(MigrationId id, String kind, JsonObject data, boolean terminal) {
        onDeskThread(() -> {
            append(id, kind, data, terminal);
            return null;
        });
    }

    void passCommitPoint(MigrationId id) {
        onDeskThread(() -> pastCommit.put(id, true));
    }

    /** Marks the migration ended, as the saga would after its terminal event. */
    void end(MigrationId id, MigrationStatus status) {
        onDeskThread(() -> {
            MigrationView m = migrations.get(id);
            migrations.put(id, new MigrationView(m.id(), m.vm(), status, "DONE", m.devices(), m.policy(), m.createdAt(),
                    Optional.of(m.createdAt().plusSeconds(3)), OptionalLong.of(120), 4096,
                    Map.of("PRE_COPY", 2000L, "STOP_COPY", 120L), Optional.empty()));
            return null;
        });
    }

    int watcherCount(MigrationId id) {
        return onDeskThread(() -> watchers.getOrDefault(id, List.of()).size());
    }

    private void append(MigrationId id, String kind, JsonObject data, boolean terminal) {
        List<MigrationEvent> list = events.get(id);
        MigrationEvent e = new MigrationEvent(id, list.size() + 1, kind, Instant.parse("2026-11-23T20:00:00Z")
                .plusMillis(list.size()), data, terminal);
        list.add(e);
        List<Subscriber> subs = watchers.getOrDefault(id, List.of());
        for (Subscriber s : subs) {
            if (!s.cancelled) {
                s.watcher.onEvent(e);
                if (terminal) {
                    s.watcher.onEnd();
                }
            }
        }
        if (terminal) {
            watchers.remove(id);
        }
    }

    void close() {
        thread.shutdownNow();
    }
}
