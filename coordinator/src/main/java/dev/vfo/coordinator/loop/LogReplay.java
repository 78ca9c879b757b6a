package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state of the VMs of some coordinator-log partitions by folding the committed log
 * (read_committed, so an aborted or still-open transaction of a dead instance is not seen) from
 * the beginning to its end, checking each VM's hash chain on the way.
 */
final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    private final MigrationSaga saga;
    private final String logTopic;
    private final Duration timeout;

    LogReplay(MigrationSaga saga, String logTopic, Duration timeout) {
        this.saga = saga;
        this.logTopic = logTopic;
        this.timeout = timeout;
    }

    /** Folds {@code partitions} of the log with {@code reader} (a consumer without group). */
    Map<VmId, VmLog> rebuild(Consumer<byte[], byte[]> reader, Set<Integer> partitions) {
        Map<VmId, VmLog> vms = new HashMap<>();
        if (partitions.isEmpty()) {
            return vms;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(logTopic, p))
                .collect(Collectors.toList());
        reader.assign(tps);
        reader.seekToBeginning(tps);
        // Under read_committed the end offset is the last stable offset: what is committed.
        Map<TopicPartition, Long> end = reader.endOffsets(tps, timeout);
        Instant giveUp = Instant.now().plus(timeout);
        long folded = 0;
        while (tps.stream().anyMatch(tp -> reader.position(tp, timeout) < end.get(tp))) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("rebuilding " + logTopic + " " + partitions + " did not reach "
                        + end + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (fold(vms, r.value(), r.partition(), r.offset())) {
                    folded++;
                }
            }
        }
        reader.unsubscribe();
        LOG.info("rebuilt {} VMs of {} partitions {} from {} log entries", vms.size(), logTopic, partitions, folded);
        return vms;
    }

    /** Folds one log record into {@code vms}; false (and logged) when it is not a log entry. */
    boolean fold(Map<VmId, VmLog> vms, byte[] bytes, int partition, long offset) {
        Decoded<CoordinatorLogEntry> d = bytes == null ? null : LogCodec.decodeLogEntry(bytes);
        if (d == null || d.kind() == Decoded.Kind.FAILED) {
            LOG.error("{}-{}@{} is not a coordinator log entry; skipped (the audit reports it): {}", logTopic,
                    partition, offset, d == null ? "null value" : ((Decoded.Failed<CoordinatorLogEntry>) d).failure());
            return false;
        }
        CoordinatorLogEntry e = d.orElseThrow();
        VmLog cur = vms.getOrDefault(e.vm(), VmLog.genesis(e.vm()));
        if (e.sequence() != cur.head().sequence() + 1 || !e.previous().equals(cur.head().hash())) {
            LOG.error("hash chain of {} breaks at {}-{}@{}: sequence {} after {}", e.vm(), logTopic, partition, offset,
                    e.sequence(), cur.head().sequence());
        }
        vms.put(e.vm(), new VmLog(saga.evolve(cur.state(), e.event()),
                new ChainHead(e.vm(), e.sequence(), HashChain.hash(bytes))));
        return true;
    }
}
