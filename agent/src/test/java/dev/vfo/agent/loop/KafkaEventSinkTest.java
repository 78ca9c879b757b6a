package dev.vfo.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sink against Kafka's own producer double: what it does with each kind of failed send. The
 * real broker outage is {@link EventDeliveryIT}.
 */
class KafkaEventSinkTest {
    static final HostId HOST = new HostId("host-a");
    static final VmId VM = new VmId("vm-1");
    static final DeviceId DEV = new DeviceId("host-a/dev-0");
    static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    final List<MockProducer<byte[], byte[]>> made = new ArrayList<>();
    final KafkaEventSink sink = new KafkaEventSink(this::fresh, "vfo.device-events", Duration.ofMillis(1));

    private Producer<byte[], byte[]> fresh() {
        MockProducer<byte[], byte[]> p = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        made.add(p);
        return p;
    }

    @AfterEach
    void close() {
        sink.abandon();
        sink.close();
    }

    static AgentEvent.DeviceStateChanged arc(long seq) {
        return new AgentEvent.DeviceStateChanged(HOST, new AgentId("host-a-agent"), VM, DEV, seq, T, Optional.empty(),
                MigrationState.RUNNING, MigrationState.RUNNING_P2P, T, 0, Optional.empty());
    }

    /** Sends on another thread, since a device event's send returns only once it is acknowledged. */
    CompletableFuture<Void> sending(AgentEvent e) {
        return CompletableFuture.runAsync(() -> sink.send(e));
    }

    MockProducer<byte[], byte[]> awaitPending(int producer, int records) {
        await().atMost(Duration.ofSeconds(10)).until(() -> made.size() > producer
                && made.get(producer).history().size() >= records);
        return made.get(producer);
    }

    @Test
    void a_device_event_is_not_done_until_acknowledged() throws Exception {
        CompletableFuture<Void> send = sending(arc(1));
        MockProducer<byte[], byte[]> p = awaitPending(0, 1);
        Thread.sleep(100);
        assertThat(send).as("waits for the acknowledgement").isNotDone();
        p.completeNext();
        send.get(10, TimeUnit.SECONDS);
    }

    @Test
    void an_expired_batch_is_sent_again_with_the_same_bytes_on_the_same_producer() throws Exception {
        CompletableFuture<Void> send = sending(arc(7));
        MockProducer<byte[], byte[]> p = awaitPending(0, 1);
        p.errorNext(new TimeoutException("Expiring 1 record(s): delivery.timeout.ms has passed"));
        awaitPending(0, 2).completeNext();
        send.get(10, TimeUnit.SECONDS);
        assertThat(made).as("a retriable failure keeps the producer").hasSize(1);
        assertThat(p.history()).extracting(ProducerRecord::value)
                .allSatisfy(v -> assertThat(v).isEqualTo(LogCodec.encode(arc(7))));
    }

    @Test
    void out_of_order_sequence_resends_through_a_fresh_producer_keeping_the_device_sequence() throws Exception {
        CompletableFuture<Void> send = sending(arc(8));
        awaitPending(0, 1).errorNext(new OutOfOrderSequenceException("OUT_OF_ORDER_SEQUENCE_NUMBER"));
        MockProducer<byte[], byte[]> second = awaitPending(1, 1);
        second.completeNext();
        send.get(10, TimeUnit.SECONDS);
        assertThat(made.get(0).closed()).as("the failed producer is closed").isTrue();
        assertThat(LogCodec.decodeAgentEvent(second.history().get(0).value()).orElseThrow()).isEqualTo(arc(8));
    }

    @Test
    void a_producer_that_refuses_to_send_is_replaced() throws Exception {
        CompletableFuture<Void> first = sending(arc(1));
        MockProducer<byte[], byte[]> p = awaitPending(0, 1);
        p.completeNext();
        first.get(10, TimeUnit.SECONDS);
        p.sendException = new org.apache.kafka.common.KafkaException("Cannot perform send because at least one"
                + " previous transactional or idempotent request has failed with errors.");
        CompletableFuture<Void> second = sending(arc(2));
        awaitPending(1, 1).completeNext();
        second.get(10, TimeUnit.SECONDS);
        assertThat(made).hasSize(2);
    }

    @Test
    void abandoning_ends_a_delivery_kafka_never_acknowledges() {
        CompletableFuture<Void> send = sending(arc(3));
        awaitPending(0, 1);
        sink.abandon();
        assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(KafkaEventSink.EventNotDelivered.class)
                .hasMessageContaining("sequence 3");
        assertThatThrownBy(() -> sink.send(arc(4))).isInstanceOf(KafkaEventSink.EventNotDelivered.class);
    }

    @Test
    void a_failed_heartbeat_is_not_retried_and_fails_no_device_event() throws Exception {
        sink.send(new AgentEvent.AgentHeartbeat(HOST, new AgentId("host-a-agent"), VM, T, 1, List.of()));
        MockProducer<byte[], byte[]> p = awaitPending(0, 1);
        p.errorNext(new TimeoutException("expired"));
        CompletableFuture<Void> send = sending(arc(1));
        awaitPending(0, 2).completeNext();
        send.get(10, TimeUnit.SECONDS);
        assertThat(p.history()).hasSize(2);
    }
}
