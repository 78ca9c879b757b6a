package dev.vfo.coordinator.loop;

import dev.vfo.coordinator.api.CoordinatorMetrics;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.Barrier;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.SagaSnapshot;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.deadletter.RecordDecoder;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once loop of one coordinator instance (see DESIGN.md next to this class). It runs on
 * its own thread, is the only writer of the saga state of the VMs whose partitions it owns, and
 * turns each batch of polled records into one Kafka transaction: the coordinator-log entries, the agent
 * commands, the dead letters and the consumed offsets commit together or not at all.
 */
public final class SagaLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SagaLoop.class);
    private static final Duration MAX_POLL = Duration.ofMillis(500);
    /** A VM with nothing in flight is snapshotted again after this many log entries. */
    static final int SNAPSHOT_EVERY = 100;
    /**
     * Records gathered into one transaction at most. A transaction costs the same few broker round
     * trips (offsets, commit) whatever it holds, so under load the loop's throughput is about its
     * batch size per round trip time; the cap bounds the latency and size of one transaction.
     */
    static final int MAX_BATCH = 2_000;

    private final MigrationSaga saga = new MigrationSaga();
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Supplier<Consumer<byte[], byte[]>> logReaders;
    private final Admin admin;
    private final TopicCatalog topics;
    private final Clock clock;
    private final CoordinatorMetrics metrics;
    private final LogReplay replay;
    private final RecordDecoder<AgentEvent> events;
    private final RecordDecoder<SagaInput> requests;

    /** Committed state of every VM of the owned partitions; touched only by the loop thread. */
    private final Map<VmId, VmLog> vms = new HashMap<>();
    private final Set<Integer> owned = new TreeSet<>();
    /** Durable timers: each VM's next deadline (from its state), and the VMs by deadline. */
    private final Map<VmId, Instant> deadlineOf = new HashMap<>();
    private final TreeMap<Instant, Set<VmId>> deadlines = new TreeMap<>();
    /** VMs taken over with a migration in flight: their EpochBegan goes into the next transaction. */
    private final Set<VmId> takeovers = new TreeSet<>();
    /** A snapshot decided in the last committed transaction, written in the next one (see snapshots()). */
    private record Deferred(VmLog log, Future<RecordMetadata> last) {}

    private Map<VmId, Deferred> deferred = new HashMap<>();
    /** Each host's command topic name, once its topic was made sure of. */
    private final Map<HostId, String> commandTopics = new HashMap<>();
    /**
     * The epoch of this ownership: the group generation of the last assignment, and above every
     * epoch in the owned state. Commands of every VM this instance drives carry it (a VM starting a
     * migration under an older epoch gets EpochBegan first), so an agent comparing epochs across the
     * VMs of its host never sees an older owner's number as newer.
     */
    private long epoch;
    /** Per migration: the phase it is in and since when (for the phase and barrier meters). */
    private final Map<MigrationId, SagaEvent.PhaseEntered> phases = new HashMap<>();

    /** Migrations in flight in the owned partitions (the meter), kept up to date per commit. */
    private long inFlight;
    /** Counts the rebalance callbacks, so a batch gathered across polls notices one ran in between. */
    private long rebalances;
    private volatile boolean running = true;
    private volatile boolean rebuilt;
    private volatile Optional<Throwable> fatal = Optional.empty();
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param consumer in the coordinator group, read_committed, no auto-commit, range assignment
     * @param producer transactional, its id stable per instance
     * @param logReaders consumers without a group (read_committed) for rebuilding; each is closed after use
     */
    public SagaLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
            Supplier<Consumer<byte[], byte[]>> logReaders, Admin admin, TopicCatalog topics, Clock clock,
            CoordinatorMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.logReaders = logReaders;
        this.admin = admin;
        this.topics = topics;
        this.clock = clock;
        this.metrics = metrics;
        this.replay = new LogReplay(saga, topics.coordinatorLog().name(), topics.snapshots().name(),
                Duration.ofMinutes(2));
        DeadLetters letters = new DeadLetters(producer, topics.deadLetters().name());
        this.events = new RecordDecoder<>(LogCodec::decodeAgentEvent, letters);
        this.requests = new RecordDecoder<>(LogCodec::decodeRequest, letters);
    }

    /** True once every assigned partition's state is rebuilt (and false again during a rebalance). */
    public boolean rebuilt() {
        return rebuilt;
    }

    public boolean assigned() {
        return !owned.isEmpty();
    }

    public Optional<Throwable> fatal() {
        return fatal;
    }

    /** Asks the loop to stop after the transaction in progress; returns once it stopped (or the timeout passed). */
    public boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        consumer.wakeup();
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            producer.initTransactions(); // fences an older incarnation with the same transactional id
            consumer.subscribe(List.of(topics.deviceEvents().name(), topics.requests().name()), new Rebalance());
            while (running) {
                step(gather(consumer.poll(pollTimeout())));
                lag();
            }
        } catch (WakeupException e) {
            if (running) {
                fatal = Optional.of(e);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("the saga loop stops on a fatal error", e);
            fatal = Optional.of(e);
        } finally {
            rebuilt = false;
            owned.clear();
            close();
            finished.countDown();
        }
    }

    private void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5)); // an open transaction is aborted by the broker
        } catch (RuntimeException e) {
            LOG.warn("closing the producer: {}", e.toString());
        }
    }

    private Duration pollTimeout() {
        if (deadlines.isEmpty()) {
            return MAX_POLL;
        }
        Duration until = Duration.between(clock.instant(), deadlines.firstKey());
        return until.isNegative() ? Duration.ZERO : until.compareTo(MAX_POLL) < 0 ? until : MAX_POLL;
    }

    /**
     * The records of one transaction: those of the poll, then, as long as more keep coming, what
     * non-blocking polls return, up to {@link #MAX_BATCH}. Idle, this is one poll (no added wait);
     * under load, the transactions grow instead of queueing. When a rebalance runs inside one of
     * those polls, what was gathered is dropped and every assigned partition is sought back to its
     * committed offset: nothing of it was applied, and it is read again (by whoever owns it now).
     */
    private List<ConsumerRecord<byte[], byte[]>> gather(ConsumerRecords<byte[], byte[]> first) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(first.count());
        first.forEach(batch::add);
        int last = first.count();
        while (last > 0 && batch.size() < MAX_BATCH && running) {
            long before = rebalances;
            ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ZERO);
            if (rebalances != before) {
                seekToCommitted();
                return List.of();
            }
            more.forEach(batch::add);
            last = more.count();
        }
        return batch;
    }

    /** One transaction: takeovers, the batch's records, due timers, the offsets. */
    private void step(List<ConsumerRecord<byte[], byte[]>> batch) {
        Instant now = clock.instant();
        List<VmId> due = dueTimers(now);
        if (batch.isEmpty() && due.isEmpty() && takeovers.isEmpty() && deferred.isEmpty()) {
            return;
        }
        Transaction tx = new Transaction(now);
        producer.beginTransaction();
        try {
            for (VmId vm : List.copyOf(takeovers)) {
                VmLog cur = tx.current(vm);
                if (cur.state().active().isPresent()) {
                    tx.apply(vm, new SagaInput.Takeover(Math.max(epoch, cur.state().epoch() + 1), now));
                }
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                input(r, now).ifPresent(in -> {
                    if (in.input().kind() == SagaInput.Kind.START && tx.current(in.vm()).state().epoch() < epoch) {
                        tx.apply(in.vm(), new SagaInput.Takeover(epoch, now));
                    }
                    tx.apply(in.vm(), in.input());
                });
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            for (VmId vm : due) {
                if (owned.contains(topics.partitionOf(vm))) {
                    tx.apply(vm, new SagaInput.Timer(now));
                }
            }
            tx.snapshots();
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                | AuthorizationException | UnsupportedVersionException e) {
            // Another instance has our transactional id, or the producer can no longer be trusted.
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("transaction aborted, rewinding to the committed offsets: {}", e.toString());
            deferred = new HashMap<>(); // lost with the transaction: a replay from older snapshots is longer, not wrong
            abort();
            rewind();
            return;
        }
        takeovers.clear();
        deferred = tx.later;
        tx.committed();
        events.awaitDeadLetters();
        requests.awaitDeadLetters();
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot abort the transaction; the producer is unusable", e);
        }
    }

    /** After an abort: the committed offsets and the state the log holds are the truth again. */
    private void rewind() {
        seekToCommitted();
        rebuild(Set.copyOf(owned));
    }

    private void seekToCommitted() {
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata o = committed.get(tp);
            if (o == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, o.offset());
            }
        }
    }

    private record Taken(VmId vm, SagaInput input) {}

    /** The input a record carries, at the loop's clock; empty (dead-lettered) when it does not decode. */
    private Optional<Taken> input(ConsumerRecord<byte[], byte[]> r, Instant now) {
        if (r.topic().equals(topics.deviceEvents().name())) {
            return events.decode(r).map(e -> new Taken(e.vm(), new SagaInput.Report(e, now)));
        }
        Optional<SagaInput> in = requests.decode(r);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        SagaInput i = in.get();
        switch (i.kind()) {
            case START: {
                SagaInput.Start s = (SagaInput.Start) i;
                return Optional.of(new Taken(s.request().vm(), new SagaInput.Start(s.request(), now)));
            }
            case CANCEL: {
                SagaInput.Cancel c = (SagaInput.Cancel) i;
                if (r.key() == null) {
                    LOG.warn("cancel of {} without a VM key at {}-{}@{}; ignored", c.migration(), r.topic(),
                            r.partition(), r.offset());
                    return Optional.empty();
                }
                return Optional.of(new Taken(new VmId(new String(r.key(), StandardCharsets.UTF_8)),
                        new SagaInput.Cancel(c.migration(), c.reason(), now)));
            }
            default:
                LOG.warn("{} is not a request; ignored at {}-{}@{}", i.kind(), r.topic(), r.partition(), r.offset());
                return Optional.empty();
        }
    }

    /** The decisions of one transaction, applied to the loop's state only once it commits. */
    private final class Transaction {
        final Instant now;
        final Map<VmId, VmLog> pending = new HashMap<>();
        final List<SagaEvent> decided = new ArrayList<>();
        /** Per VM: how it was when the transaction began, and its first and last log record sent. */
        final Map<VmId, VmLog> before = new HashMap<>();
        final Map<VmId, Future<RecordMetadata>> first = new HashMap<>();
        final Map<VmId, Future<RecordMetadata>> last = new HashMap<>();
        /** Snapshots this transaction decided and the next one writes. */
        final Map<VmId, Deferred> later = new HashMap<>();

        Transaction(Instant now) {
            this.now = now;
        }

        VmLog current(VmId vm) {
            return pending.getOrDefault(vm, vms.getOrDefault(vm, VmLog.genesis(vm)));
        }

        void apply(VmId vm, SagaInput input) {
            VmLog cur = current(vm);
            before.putIfAbsent(vm, cur);
            String log = topics.coordinatorLog().name();
            int partition = topics.partitionOf(vm);
            byte[] key = TopicCatalog.key(vm);
            for (SagaEvent e : saga.decide(input, cur.state())) {
                HashChain.Appended a = HashChain.append(cur.head(), e);
                Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(log, partition, key, a.bytes()));
                first.putIfAbsent(vm, sent);
                last.put(vm, sent);
                cur = cur.advanced(saga.evolve(cur.state(), e), a.head());
                if (e.kind() == SagaEvent.Kind.COMMAND_ISSUED) {
                    AgentCommand c = ((SagaEvent.CommandIssued) e).command();
                    producer.send(new ProducerRecord<>(commandTopic(c.host()), key, LogCodec.encode(c)));
                }
                decided.add(e);
            }
            pending.put(vm, cur);
        }

        /**
         * Snapshots each VM that has nothing in flight now and was never snapshotted, just ended a
         * migration or wrote {@value #SNAPSHOT_EVERY} entries since; a new VM with a migration already
         * in flight gets its genesis snapshot (replay from its first entry), so every VM is covered by
         * a snapshot and the rebuild never has to start before the oldest one. A VM never snapshotted
         * gets its snapshot in this transaction (its offset needs a flush). A VM already covered by
         * one gets the new one in the next transaction, when this one's offsets are known without a
         * flush (a flush per transaction was a fifth of the loop's time under section 4's load): if
         * that transaction never commits, the older snapshot stays, and a rebuild replays more.
         */
        void snapshots() {
            for (Map.Entry<VmId, Deferred> d : deferred.entrySet()) {
                // Committed with the previous transaction: the future is done, its offset known.
                write(new SagaSnapshot(d.getKey(), offsetOf(d.getValue().last()) + 1, d.getValue().log().head(),
                        d.getValue().log().state()));
            }
            List<SagaSnapshot> due = new ArrayList<>();
            Map<VmId, Future<RecordMetadata>> at = new HashMap<>();
            for (Map.Entry<VmId, VmLog> p : pending.entrySet()) {
                VmId vm = p.getKey();
                VmLog now = p.getValue();
                VmLog then = before.get(vm);
                boolean idle = now.state().active().isEmpty();
                boolean ended = then.state().active().isPresent() && idle;
                if (idle && now.snapshotted() && (ended || now.sinceSnapshot() >= SNAPSHOT_EVERY)) {
                    later.put(vm, new Deferred(now, last.get(vm)));
                    p.setValue(now.snapshotTaken());
                } else if (idle && !now.snapshotted()) {
                    due.add(new SagaSnapshot(vm, 0, now.head(), now.state()));
                    at.put(vm, last.get(vm));
                } else if (!now.snapshotted() && then.head().sequence() == 0) {
                    due.add(new SagaSnapshot(vm, 0, then.head(), then.state()));
                    at.put(vm, first.get(vm));
                }
            }
            if (due.isEmpty()) {
                return;
            }
            producer.flush(); // the log records' offsets are known once sent (not yet committed)
            for (SagaSnapshot s : due) {
                long offset = offsetOf(at.get(s.vm()));
                boolean genesis = s.head().sequence() == 0;
                write(new SagaSnapshot(s.vm(), genesis ? offset : offset + 1, s.head(), s.state()));
                VmLog now = pending.get(s.vm());
                pending.put(s.vm(), genesis ? new VmLog(now.state(), now.head(), now.sinceSnapshot(), true)
                        : now.snapshotTaken());
            }
        }

        private void write(SagaSnapshot placed) {
            producer.send(new ProducerRecord<>(topics.snapshots().name(), topics.partitionOf(placed.vm()),
                    TopicCatalog.key(placed.vm()), LogCodec.encode(placed)));
        }

        void committed() {
            for (Map.Entry<VmId, VmLog> p : pending.entrySet()) {
                VmLog was = vms.put(p.getKey(), p.getValue());
                boolean active = p.getValue().state().active().isPresent();
                boolean wasActive = was != null && was.state().active().isPresent();
                inFlight += (active ? 1 : 0) - (wasActive ? 1 : 0);
                schedule(p.getKey(), saga.nextDeadline(p.getValue().state()));
            }
            measure(decided);
            // Counted per changed VM: a scan of every owned VM per transaction grew with the fleet.
            metrics.inFlightMigrations(inFlight);
        }
    }

    private static long offsetOf(Future<RecordMetadata> sent) {
        try {
            return sent.get().offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing the log", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        }
    }

    private String commandTopic(HostId host) {
        String topic = commandTopics.get(host);
        if (topic == null) {
            // Host topics are created when a host first gets a command (idempotent; exists normally).
            TopicCreation.ensure(admin, List.of(topics.commands(host)), Duration.ofSeconds(30));
            // Kept: building the name validates the host id with a regex, the loop's largest
            // allocation after the saga's own under section 4's load.
            topic = topics.commandsTopic(host);
            commandTopics.put(host, topic);
        }
        return topic;
    }

    private void measure(List<SagaEvent> decided) {
        SagaEvent last = null;
        for (SagaEvent e : decided) {
            switch (e.kind()) {
                case PHASE_ENTERED -> {
                    SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) e;
                    SagaEvent.PhaseEntered before = phases.put(p.migration(), p);
                    if (before != null) {
                        metrics.phaseCompleted(before.phase().name(), Duration.between(before.at(), p.at()));
                    }
                }
                case BARRIER_REACHED -> {
                    SagaEvent.BarrierReached b = (SagaEvent.BarrierReached) e;
                    SagaEvent.PhaseEntered p = phases.get(b.migration());
                    if (b.barrier() == Barrier.SOURCE_QUIESCED && p != null && p.phase() == Phase.QUIESCE) {
                        metrics.barrierReached(Duration.between(p.at(), b.at()));
                    }
                }
                case MIGRATION_COMPLETED -> ended(((SagaEvent.MigrationCompleted) e).migration(),
                        ((SagaEvent.MigrationCompleted) e).at());
                case MIGRATION_ROLLED_BACK -> ended(((SagaEvent.MigrationRolledBack) e).migration(),
                        ((SagaEvent.MigrationRolledBack) e).at());
                case MIGRATION_FAILED -> ended(((SagaEvent.MigrationFailed) e).migration(),
                        ((SagaEvent.MigrationFailed) e).at());
                case INPUT_IGNORED -> {
                    if (last != null && last.kind() == SagaEvent.Kind.DEVICE_REPORTED) {
                        RejectReason r = RejectReason.of(((SagaEvent.InputIgnored) e).reason());
                        metrics.eventRejected(r.tag());
                        if (r == RejectReason.FOREIGN_AGENT) {
                            LOG.warn("refused (kept in the log for audit): {}", ((SagaEvent.InputIgnored) e).reason());
                        }
                    }
                }
                default -> {
                    // recorded inputs and the other decisions carry no meter
                }
            }
            last = e;
        }
    }

    private void ended(MigrationId id, Instant at) {
        SagaEvent.PhaseEntered p = phases.remove(id);
        if (p != null) {
            metrics.phaseCompleted(p.phase().name(), Duration.between(p.at(), at));
        }
    }

    private void schedule(VmId vm, Optional<Instant> next) {
        Instant before = deadlineOf.remove(vm);
        if (before != null) {
            Set<VmId> at = deadlines.get(before);
            at.remove(vm);
            if (at.isEmpty()) {
                deadlines.remove(before);
            }
        }
        next.ifPresent(t -> {
            deadlineOf.put(vm, t);
            deadlines.computeIfAbsent(t, k -> new TreeSet<>()).add(vm);
        });
    }

    private List<VmId> dueTimers(Instant now) {
        List<VmId> due = new ArrayList<>();
        for (Map.Entry<Instant, Set<VmId>> e : deadlines.headMap(now, true).entrySet()) {
            due.addAll(e.getValue());
        }
        return due;
    }

    private void lag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            total += l.orElse(0);
        }
        metrics.consumerLag(total);
    }

    /** Rebuilds {@code partitions} from the log and marks their VMs in flight for takeover. */
    private void rebuild(Set<Integer> partitions) {
        rebuilt = false;
        drop(partitions);
        Map<VmId, VmLog> fresh;
        try (Consumer<byte[], byte[]> reader = logReaders.get()) {
            fresh = replay.rebuild(reader, partitions);
        }
        vms.putAll(fresh);
        long newest = vms.values().stream().mapToLong(l -> l.state().epoch()).max().orElse(0);
        epoch = Math.max(Math.max(epoch, consumer.groupMetadata().generationId()), newest + 1);
        fresh.forEach((vm, l) -> {
            schedule(vm, saga.nextDeadline(l.state()));
            if (l.state().active().isPresent()) {
                takeovers.add(vm);
            }
        });
        owned.addAll(partitions);
        recount();
        rebuilt = true;
    }

    private void drop(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        deferred.keySet().removeIf(vm -> partitions.contains(topics.partitionOf(vm)));
        for (VmId vm : List.copyOf(vms.keySet())) {
            if (partitions.contains(topics.partitionOf(vm))) {
                vms.remove(vm);
                schedule(vm, Optional.empty());
                takeovers.remove(vm);
            }
        }
        recount();
    }

    private void recount() {
        inFlight = vms.values().stream().filter(l -> l.state().active().isPresent()).count();
    }

    private static Set<Integer> numbers(Collection<TopicPartition> tps) {
        Set<Integer> s = new TreeSet<>();
        tps.forEach(tp -> s.add(tp.partition()));
        return s;
    }

    /**
     * Runs inside {@code poll} on the loop thread, so no transaction is open: each batch commits
     * before the next poll.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            rebalances++;
            Set<Integer> added = numbers(partitions);
            added.removeAll(owned);
            if (added.isEmpty()) {
                return;
            }
            // Reading the committed offsets first waits until the previous owner's transaction is
            // resolved (committed or aborted), so the log read next shows all that it committed.
            consumer.committed(Set.copyOf(partitions));
            rebuild(added);
            LOG.info("owns partitions {}; rebuilt, {} VMs in flight to take over", owned, takeovers.size());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            rebalances++;
            drop(numbers(partitions));
            LOG.info("partitions {} revoked; owns {}", numbers(partitions), owned);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            rebalances++;
            drop(numbers(partitions));
            LOG.warn("partitions {} lost; owns {}", numbers(partitions), owned);
        }
    }
}
