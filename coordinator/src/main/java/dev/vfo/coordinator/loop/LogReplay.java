package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.SagaSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the VMs of coordinator-log partitions: each VM's latest snapshot (the compacted,
 * co-partitioned snapshot topic, read to its end), then the log from the smallest snapshot offset
 * of the partition to its end, skipping what a VM's snapshot already reflects. Both are read
 * read_committed, so a dead instance's open transaction is not seen. Each VM's hash chain is
 * checked on the way; a VM met in the log past its first entry without a snapshot (or any
 * snapshot that does not continue its chain) makes that partition fall back to a full replay.
 */
final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    private final MigrationSaga saga;
    private final String logTopic;
    private final String snapshotTopic;
    private final Duration timeout;

    LogReplay(MigrationSaga saga, String logTopic, String snapshotTopic, Duration timeout) {
        this.saga = saga;
        this.logTopic = logTopic;
        this.snapshotTopic = snapshotTopic;
        this.timeout = timeout;
    }

    /** Signals that a partition cannot be rebuilt from its snapshots. */
    private static final class Gap extends Exception {
        Gap(String message) {
            super(message, null, false, false);
        }
    }

    /** Folds {@code partitions} with {@code reader} (a consumer without group). */
    Map<VmId, VmLog> rebuild(Consumer<byte[], byte[]> reader, Set<Integer> partitions) {
        Map<VmId, VmLog> vms = new HashMap<>();
        for (int p : partitions) {
            Map<VmId, SagaSnapshot> snapshots = snapshots(reader, p);
            try {
                vms.putAll(replay(reader, p, snapshots));
            } catch (Gap g) {
                LOG.warn("{}-{}: {}; replaying the whole partition", logTopic, p, g.getMessage());
                try {
                    vms.putAll(replay(reader, p, Map.of()));
                } catch (Gap impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        reader.unsubscribe();
        return vms;
    }

    private Map<VmId, SagaSnapshot> snapshots(Consumer<byte[], byte[]> reader, int p) {
        Map<VmId, SagaSnapshot> latest = new HashMap<>();
        read(reader, new TopicPartition(snapshotTopic, p), null, r -> {
            if (r.key() == null) {
                return;
            }
            VmId vm = new VmId(new String(r.key(), StandardCharsets.UTF_8));
            if (r.value() == null) {
                latest.remove(vm);
                return;
            }
            Decoded<SagaSnapshot> d = LogCodec.decodeSnapshot(r.value());
            if (d.kind() == Decoded.Kind.OK && d.orElseThrow().vm().equals(vm)) {
                latest.put(vm, d.orElseThrow());
            } else {
                // Without it the VM is replayed from its first entry (a Gap, then a full replay).
                latest.remove(vm);
                LOG.error("{}-{}@{}: not a snapshot of {}; ignored", snapshotTopic, p, r.offset(), vm);
            }
        });
        return latest;
    }

    private Map<VmId, VmLog> replay(Consumer<byte[], byte[]> reader, int p, Map<VmId, SagaSnapshot> snapshots)
            throws Gap {
        Map<VmId, VmLog> vms = new HashMap<>();
        long start = snapshots.values().stream().mapToLong(SagaSnapshot::logOffset).min().orElse(0);
        long[] folded = {0};
        Gap[] gap = {null};
        read(reader, new TopicPartition(logTopic, p), start, r -> {
            if (gap[0] != null) {
                return;
            }
            Decoded<CoordinatorLogEntry> d = r.value() == null ? null : LogCodec.decodeLogEntry(r.value());
            if (d == null || d.kind() == Decoded.Kind.FAILED) {
                LOG.error("{}-{}@{} is not a coordinator log entry; skipped (the audit reports it): {}", logTopic, p,
                        r.offset(), d == null ? "null value" : ((Decoded.Failed<CoordinatorLogEntry>) d).failure());
                return;
            }
            CoordinatorLogEntry e = d.orElseThrow();
            SagaSnapshot snapshot = snapshots.get(e.vm());
            if (snapshot != null && r.offset() < snapshot.logOffset()) {
                return; // the snapshot reflects it
            }
            VmLog cur = vms.get(e.vm());
            if (cur == null) {
                cur = snapshot == null ? VmLog.genesis(e.vm())
                        : new VmLog(snapshot.state(), snapshot.head(), 0, true);
                if (e.sequence() != cur.head().sequence() + 1) {
                    gap[0] = new Gap(e.vm() + " continues at sequence " + e.sequence() + " after "
                            + (snapshot == null ? "no snapshot" : "a snapshot at " + snapshot.head().sequence()));
                    return;
                }
            }
            if (e.sequence() != cur.head().sequence() + 1 || !e.previous().equals(cur.head().hash())) {
                LOG.error("hash chain of {} breaks at {}-{}@{}: sequence {} after {}", e.vm(), logTopic, p, r.offset(),
                        e.sequence(), cur.head().sequence());
            }
            vms.put(e.vm(), cur.advanced(saga.evolve(cur.state(), e.event()),
                    new ChainHead(e.vm(), e.sequence(), HashChain.hash(r.value()))));
            folded[0]++;
        });
        if (gap[0] != null) {
            throw gap[0];
        }
        snapshots.forEach((vm, s) -> vms.putIfAbsent(vm, new VmLog(s.state(), s.head(), 0, true)));
        LOG.info("rebuilt {} VMs of {}-{} from {} snapshots and {} log entries from offset {}; chain heads {}",
                vms.size(), logTopic, p, snapshots.size(), folded[0], start,
                vms.values().stream().map(v -> v.head().vm() + "@" + v.head().sequence()).toList());
        return vms;
    }

    /** Reads {@code tp} from {@code from} (null: the beginning) to its last stable offset. */
    private void read(Consumer<byte[], byte[]> reader, TopicPartition tp, Long from,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        reader.assign(List.of(tp));
        if (from == null || from == 0) {
            reader.seekToBeginning(List.of(tp));
        } else {
            reader.seek(tp, from);
        }
        long end = reader.endOffsets(List.of(tp), timeout).get(tp);
        Instant giveUp = Instant.now().plus(timeout);
        while (reader.position(tp, timeout) < end) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("reading " + tp + " did not reach " + end + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                each.accept(r);
            }
        }
    }
}
