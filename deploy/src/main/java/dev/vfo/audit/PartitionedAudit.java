package dev.vfo.audit;

import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The audit on several threads. VMs are independent and a VM's records of both audited topics
 * share one partition number ({@link TopicCatalog}), so each partition number gets its own
 * {@link AuditEngine}, fed in the same audit order, and partition numbers are spread over
 * {@code threads} workers ({@code number % threads}). The caller's thread reads and hands records
 * over in batches through bounded queues (memory: at most {@value #QUEUED} batches of
 * {@value #BATCH} records per worker, on top of the engines' own bounded state).
 *
 * <p>The report does not depend on the number of threads or on timing: the engines' reports are
 * merged in partition-number order (violations and migrations of partition 0 first), then the
 * shared {@link Quarantine}'s findings (a record and its dead letter reach different engines), then the
 * dead letters. That order differs from a single {@link AuditEngine}'s, which judges the
 * end-of-log rules of all VMs last; the violations are the same. Not thread-safe: one reader.
 */
public final class PartitionedAudit implements Consumer<LoggedRecord> {

    static final int BATCH = 256;
    static final int QUEUED = 16;
    private static final List<LoggedRecord> END = List.of();

    private final TopicCatalog topics;
    private final AuditEngine.Scope scope;
    private final String deviceEvents;
    private final String coordinatorLog;
    private final AuditEngine rest;
    /** One for all engines: a record and its dead letter are read by different engines (threads). */
    private final Quarantine quarantine;
    private final Worker[] workers;
    private boolean finished;

    public PartitionedAudit(TopicCatalog topics, AuditEngine.Scope scope, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.topics = Objects.requireNonNull(topics);
        this.scope = Objects.requireNonNull(scope);
        this.deviceEvents = topics.deviceEvents().name();
        this.coordinatorLog = topics.coordinatorLog().name();
        this.quarantine = new Quarantine(java.util.Set.of(deviceEvents, coordinatorLog));
        this.rest = new AuditEngine(topics, scope, quarantine);
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i);
            workers[i].thread.start();
        }
    }

    /** A worker: its partition numbers' engines, the queue it drains and the batch being filled for it. */
    private final class Worker implements Runnable {
        final Map<Integer, AuditEngine> engines = new TreeMap<>();
        final BlockingQueue<List<LoggedRecord>> queue = new ArrayBlockingQueue<>(QUEUED);
        final Thread thread;
        List<LoggedRecord> batch = new ArrayList<>(BATCH);
        volatile Throwable failed;

        Worker(int index) {
            this.thread = new Thread(this, "vfo-audit-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    List<LoggedRecord> next = queue.take();
                    if (next == END) {
                        return;
                    }
                    for (LoggedRecord r : next) {
                        engines.computeIfAbsent(r.partition(), p -> new AuditEngine(topics, scope, quarantine)).accept(r);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failed = e; // rethrown by finish; the reader must not block on a dead worker's full queue
                queue.clear();
                drain();
            }
        }

        /** After a failure: keep taking batches so the reader is never blocked; they are not audited. */
        private void drain() {
            try {
                while (queue.take() != END) {
                    // discarded
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void hand(List<LoggedRecord> records) {
            try {
                queue.put(records);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing records to " + thread.getName(), e);
            }
        }
    }

    /** One record of the log, in audit order (as {@link AuditEngine#accept}). */
    @Override
    public void accept(LoggedRecord r) {
        if (finished) {
            throw new IllegalStateException("the audit has finished");
        }
        if (!r.topic().equals(deviceEvents) && !r.topic().equals(coordinatorLog)) {
            rest.accept(r); // dead letters and strays: counted, on this thread
            return;
        }
        Worker w = workers[Math.floorMod(r.partition(), workers.length)];
        w.batch.add(r);
        if (w.batch.size() == BATCH) {
            w.hand(w.batch);
            w.batch = new ArrayList<>(BATCH);
        }
    }

    /** Waits for the workers, ends every engine at {@code now} and merges their reports (see the class comment). */
    public AuditReport finish(Instant now) {
        finished = true;
        for (Worker w : workers) {
            if (!w.batch.isEmpty()) {
                w.hand(w.batch);
            }
            w.hand(END);
        }
        Map<Integer, AuditEngine> engines = new TreeMap<>();
        for (Worker w : workers) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + w.thread.getName(), e);
            }
            if (w.failed != null) {
                throw new IllegalStateException(w.thread.getName() + " failed", w.failed);
            }
            engines.putAll(w.engines);
        }
        List<AuditReport> reports = new ArrayList<>();
        engines.values().forEach(e -> reports.add(e.finish(now)));
        reports.add(rest.finish(now));
        return merge(reports, quarantine.finish(scope.fromStart()), now);
    }

    private AuditReport merge(List<AuditReport> reports, Quarantine.Findings quarantined, Instant now) {
        Map<String, Long> perTopic = new TreeMap<>();
        List<MigrationReport> migrations = new ArrayList<>();
        List<AuditViolation> violations = new ArrayList<>();
        long deadLetters = 0;
        int vms = 0;
        int devices = 0;
        long chain = 0;
        long violationCount = 0;
        for (AuditReport r : reports) {
            r.recordsPerTopic().forEach((t, n) -> perTopic.merge(t, n, Long::sum));
            deadLetters += r.deadLetters();
            vms += r.vms();
            devices += r.devices();
            chain += r.chainEntries();
            violationCount += r.violationCount();
            migrations.addAll(r.migrations());
            for (AuditViolation v : r.violations()) {
                if (violations.size() < AuditEngine.KEPT_VIOLATIONS) {
                    violations.add(v);
                }
            }
        }
        violationCount += quarantined.count();
        for (AuditViolation v : quarantined.kept()) {
            if (violations.size() < AuditEngine.KEPT_VIOLATIONS) {
                violations.add(v);
            }
        }
        if (migrations.size() > AuditEngine.KEPT_MIGRATIONS) {
            migrations = new ArrayList<>(migrations.subList(migrations.size() - AuditEngine.KEPT_MIGRATIONS,
                    migrations.size()));
        }
        return new AuditReport(perTopic, deadLetters, vms, devices, chain, migrations, violations, violationCount,
                scope.fromStart(), now, quarantine.quarantined(), quarantine.quarantinedCount());
    }
}
