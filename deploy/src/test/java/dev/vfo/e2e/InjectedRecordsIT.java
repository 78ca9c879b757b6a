package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.demo.ControlPlaneClient;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.deadletter.DeadLetter;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.topic.TopicCatalog;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * While a migration runs, records nobody should have written go into the real topics: an exact
 * copy (same key, bytes and headers, same partition) of an agent's event; a stale command (an
 * epoch older than the agent has seen, asking a source device to STOP while its peers run, which
 * would break the P2P order if obeyed); and garbage bytes on the coordinator's request topic, on
 * the agent's command topic and on the device-events topic (in the migrating VM's partition). The
 * migration completes; the copy changes no decision; the stale command is refused; each garbage
 * record sits in the dead-letter topic with its bytes and origin; no sequence has a hole; the audit
 * passes and lists the garbage on device-events, which it reads as evidence, as quarantined: the
 * coordinator dead-lettered it, which is what the product must do with it.
 */
class InjectedRecordsIT extends FleetScenario {

    @Test
    void duplicates_stale_and_garbage_records_change_nothing_and_the_garbage_is_dead_lettered()
            throws Exception {
        VmPlan vm = VmPlan.mixed("vm-inject", "host-a", "host-b");
        // Slow enough source arcs that the records land while the migration is in flight.
        Child coordinator = stage("inject", vm, vm.slowed(Duration.ofMillis(500)));

        ControlPlaneClient api = fleet.api(coordinator);
        String id = api.startMigration(vm.request(Duration.ofSeconds(60))).getString("id");
        String events = fleet.topics.deviceEvents().name();
        String commands = fleet.topics.commandsTopic(new HostId("host-a"));
        String requests = fleet.topics.requests().name();
        ConsumerRecord<byte[], byte[]> original = Fleet.waiting().alias("a source device entered PRE_COPY")
                .until(() -> fleet.records(events).stream().filter(r -> decodesTo(r, MigrationState.PRE_COPY))
                        .findFirst(), Optional::isPresent).orElseThrow();
        byte[] garbage = "\u0000\u00ffnot a vfo record, just bytes".getBytes(StandardCharsets.ISO_8859_1);
        String staleId = "c999.e0." + id;
        AgentCommand.TransitionDevice stale = new AgentCommand.TransitionDevice(new CommandId(staleId),
                new MigrationId(id), 0, new HostId("host-a"), new VmId(vm.vm()), Instant.now().plusSeconds(600),
                new DeviceId(vm.sourceIds().get(1)), MigrationState.STOP);
        byte[] key = TopicCatalog.key(new VmId(vm.vm()));
        RecordMetadata garbageEvent;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, new ProducerRecord<>(events, original.partition(), original.key(), original.value(),
                    original.headers()));
            send(producer, new ProducerRecord<>(commands, key, LogCodec.encode(stale)));
            send(producer, new ProducerRecord<>(requests, key, garbage));
            send(producer, new ProducerRecord<>(commands, key, garbage));
            garbageEvent = send(producer, new ProducerRecord<>(events, key, garbage));
        }

        JsonObject ended = fleet.awaitEnded(coordinator, id);

        assertThat(ended.getString("status")).as(ended.encodePrettily()).isEqualTo("SUCCEEDED");
        assertRunningOn(api, vm.vm(), vm.destinationIds());
        // The copy is on the topic twice. The coordinator's log records every input it consumed, the copy
        // too (the log is of inputs; core/saga/DESIGN.md), and the saga ignores it (its sequence is not above
        // the last applied one): the audit re-derives every decision from those recorded inputs, so a copy
        // that had changed one would fail it.
        assertThat(fleet.records(events)).filteredOn(r -> Arrays.equals(r.value(), original.value())).hasSize(2);
        // The stale command was refused: nothing answers it, and the agent said why.
        assertThat(fleet.deviceEvents()).noneMatch(e -> e instanceof AgentEvent.DeviceStateChanged c
                && c.answers().map(CommandId::value).filter(staleId::equals).isPresent());
        assertThat(fleet.children("agent-host-a").output()).contains("refused command " + staleId + " (STALE_EPOCH)");
        // Each garbage record is dead-lettered with its bytes and where it came from.
        List<DeadLetter> letters = fleet.records(fleet.topics.deadLetters().name()).stream()
                .map(DeadLetters::read).flatMap(Optional::stream).toList();
        assertThat(letters).filteredOn(l -> l.topic().equals(requests)).singleElement().satisfies(l -> {
            assertThat(l.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(garbage));
            assertThat(l.key()).hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
        });
        assertThat(letters).filteredOn(l -> l.topic().equals(commands)).singleElement()
                .satisfies(l -> assertThat(l.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(garbage)));
        // The coordinator dead-letters the garbage on device-events in the transaction that commits past it.
        DeadLetter eventLetter = Fleet.waiting().alias("the garbage on device-events is dead-lettered")
                .until(() -> fleet.records(fleet.topics.deadLetters().name()).stream().map(DeadLetters::read)
                        .flatMap(Optional::stream).filter(l -> l.topic().equals(events)).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(eventLetter.partition()).isEqualTo(garbageEvent.partition());
        assertThat(eventLetter.offset()).isEqualTo(garbageEvent.offset());
        assertThat(eventLetter.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(garbage));
        assertNoSequenceGaps(vm.ids());
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.outcomes()).as(audit.output()).containsExactly(entry(id, "COMPLETED"));
        assertThat(audit.report().getLong("deadLetters")).as(audit.output()).isGreaterThanOrEqualTo(3);
        // The garbage on device-events is not a violation: the audit found its dead letter and says so.
        assertThat(audit.report().getLong("quarantinedCount")).as(audit.output()).isEqualTo(1);
        JsonObject quarantined = audit.report().getJsonArray("quarantined").getJsonObject(0);
        JsonObject where = quarantined.getJsonObject("record");
        assertThat(where.getString("topic")).isEqualTo(events);
        assertThat(where.getInteger("partition")).isEqualTo(garbageEvent.partition());
        assertThat(where.getLong("offset")).isEqualTo(garbageEvent.offset());
        assertThat(quarantined.getString("vm")).isEqualTo(vm.vm());
        assertThat(quarantined.getString("reason")).startsWith(eventLetter.reason().name());
    }

    private static boolean decodesTo(ConsumerRecord<byte[], byte[]> r, MigrationState to) {
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(r.value());
        return d.kind() == Decoded.Kind.OK && d.orElseThrow() instanceof AgentEvent.DeviceStateChanged c
                && c.to() == to;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> c = fleet.broker.clientConfig();
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> r)
            throws InterruptedException, ExecutionException, TimeoutException {
        return producer.send(r).get(60, TimeUnit.SECONDS);
    }
}
