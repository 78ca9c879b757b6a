package dev.vfo.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.coordinator.api.CoordinatorMetrics;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * An abortable failure at commit: the loop aborts, rewinds to the committed offsets and rebuilds,
 * and the redelivered input is logged once, with the chain head the aborted attempt did not move.
 */
class SagaLoopAbortTest {
    private final TopicCatalog topics = new TopicCatalog("unit", 1, Optional.empty());
    private final VmId vm = new VmId("vm-1");
    private final TopicPartition events = new TopicPartition(topics.deviceEvents().name(), 0);
    private final TopicPartition requests = new TopicPartition(topics.requests().name(), 0);

    /** Fails the first commit like a broker timeout would; counts aborts. */
    private static final class FlakyProducer extends MockProducer<byte[], byte[]> {
        final AtomicBoolean failNext = new AtomicBoolean(true);
        final AtomicInteger aborts = new AtomicInteger();

        FlakyProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void commitTransaction() {
            if (failNext.getAndSet(false)) {
                throw new KafkaException("injected: the commit timed out");
            }
            super.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            aborts.incrementAndGet();
            super.abortTransaction();
        }
    }

    private MockConsumer<byte[], byte[]> emptyLog() {
        MockConsumer<byte[], byte[]> reader = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> zero = Map.of(new TopicPartition(topics.coordinatorLog().name(), 0), 0L,
                new TopicPartition(topics.snapshots().name(), 0), 0L);
        reader.updateBeginningOffsets(zero);
        reader.updateEndOffsets(zero);
        return reader;
    }

    private ConsumerRecord<byte[], byte[]> registration() {
        AgentEvent e = new AgentEvent.DeviceRegistered(new HostId("h1"), new AgentId("a1"), vm, new DeviceId("d1"), 1,
                Instant.parse("2026-11-23T20:00:00Z"), "0000:3b:00.0", "vfio-pci", "m", 3, 0, MigrationState.RUNNING,
                "h1:7000");
        return new ConsumerRecord<>(events.topic(), 0, 0, TopicCatalog.key(vm), LogCodec.encode(e));
    }

    /** A loop that gets partition 0 of both inputs and, on its first poll, one device registration. */
    private SagaLoop loop(MockConsumer<byte[], byte[]> consumer, FlakyProducer producer) {
        consumer.updateBeginningOffsets(Map.of(events, 0L, requests, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(events, requests));
            consumer.addRecord(registration());
        });
        return new SagaLoop(consumer, producer, this::emptyLog, null, topics,
                Clock.fixed(Instant.parse("2026-11-23T20:00:01Z"), ZoneOffset.UTC),
                new CoordinatorMetrics(new SimpleMeterRegistry(), List.of(), RejectReason.tags()));
    }

    @Test
    void anAbortedCommitIsRetriedFromTheCommittedOffsetWithoutDoublingTheLog() throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        FlakyProducer producer = new FlakyProducer();
        SagaLoop loop = loop(consumer, producer);
        Thread thread = new Thread(loop, "loop-under-test");
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> producer.aborts.get() == 1);
            // The mock does not redeliver by itself: the rewind seeked back to offset 0, so the record comes again.
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.position(events) == 0);
            consumer.addRecord(registration());
            await().atMost(Duration.ofSeconds(30)).until(() -> producer.commitCount() == 1);
        } finally {
            loop.stop(Duration.ofSeconds(10));
            thread.join(10_000);
        }
        List<CoordinatorLogEntry> logged = producer.history().stream()
                .filter(r -> r.topic().equals(topics.coordinatorLog().name()))
                .map(r -> LogCodec.decodeLogEntry(r.value()).orElseThrow()).toList();
        assertThat(logged).extracting(CoordinatorLogEntry::sequence).containsExactly(1L);
        assertThat(logged.get(0).event()).isInstanceOf(SagaEvent.DeviceReported.class);
        assertThat(producer.history()).extracting(ProducerRecord::topic).contains(topics.snapshots().name());
        assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory().get(0).values().iterator().next())
                .containsEntry(events, new OffsetAndMetadata(1));
        assertThat(loop.fatal()).isEmpty();
    }

    @Test
    void aFencedProducerStopsTheLoopWithoutCommitting() throws Exception {
        FlakyProducer producer = new FlakyProducer();
        producer.failNext.set(false);
        producer.commitTransactionException = new org.apache.kafka.common.errors.ProducerFencedException(
                "injected: another instance took the transactional id");
        SagaLoop loop = loop(new MockConsumer<>("earliest"), producer);
        Thread thread = new Thread(loop, "loop-under-test");
        thread.start();
        thread.join(30_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.fatal()).get().isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);
        assertThat(producer.commitCount()).isZero();
        assertThat(producer.aborts.get()).isZero();
        assertThat(loop.rebuilt()).isFalse();
    }
}
