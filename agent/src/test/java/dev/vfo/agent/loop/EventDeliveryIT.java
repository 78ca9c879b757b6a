package dev.vfo.agent.loop;

import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.device.sim.LatencyModel;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.agent.device.sim.Sleeper;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the agent walks a device through many arcs, for longer than the
 * producer's delivery timeout (so the producer itself gives the events up), and comes back. Every
 * arc's event must be in the topic exactly once, the device's sequence must run 1..n without a gap
 * or a repeat, and the device must not move while its last event is unacknowledged.
 */
class EventDeliveryIT {
    static final HostId HOST = new HostId("host-a");
    static final VmId VM = new VmId("vm-1");
    static final Clock CLOCK = Clock.systemUTC();
    static final Duration WAIT = Duration.ofSeconds(120);
    static final int COMMANDS = 30;
    /** Longer than delivery.timeout.ms below: the producer fails the batch and the sink must send it again. */
    static final Duration OUTAGE = Duration.ofSeconds(8);
    static final Duration GRACE = Duration.ofSeconds(4);
    static final TopicCatalog TOPICS = new TopicCatalog("outage", 1, Optional.empty());

    @TempDir
    Path dir;

    @Test
    void a_broker_outage_longer_than_the_delivery_timeout_loses_repeats_and_skips_no_device_event() throws Exception {
        try (KafkaBroker broker = KafkaBroker.dedicated()) {
            createTopics(broker);
            CountingDevice device = device(Duration.ofMillis(100));
            ServedDevice served = served(device);
            try (KafkaProducer<byte[], byte[]> coordinator = coordinator(broker);
                    EventTail events = new EventTail(broker.clientConfig(), TOPICS.deviceEvents().name(), 1);
                    HostAgent agent = HostAgent.start(config(broker), List.of(served), CLOCK)) {
                await().atMost(WAIT).until(() -> !events.of(AgentEvent.DeviceRegistered.class, r -> true).isEmpty());
                for (int i = 0; i < COMMANDS; i++) {
                    send(coordinator, "c" + i, served, i % 2 == 0 ? STOP : RUNNING);
                }
                await().atMost(WAIT).until(() -> events.of(AgentEvent.DeviceStateChanged.class, e -> true).size() >= 6);

                broker.stop();
                // The arc in hand may finish; then the agent waits for its event instead of moving on.
                Thread.sleep(2_000);
                int setsWhileAway = device.sets.get();
                Thread.sleep(OUTAGE.toMillis());
                assertThat(device.sets.get()).as("no SET while the last arc's event is unacknowledged")
                        .isEqualTo(setsWhileAway);
                assertThat(setsWhileAway).as("the outage began before the commands were done").isLessThan(2 * COMMANDS);
                broker.start();

                await().atMost(WAIT).until(() -> answered(events).size() == COMMANDS);
                assertThat(agent.loop().failure()).isNull();
                assertThat(agent.loop().isRunning()).isTrue();

                assertGapFreeAndUnrepeated(events, served);
                List<AgentEvent.DeviceStateChanged> arcs = events.of(AgentEvent.DeviceStateChanged.class, e -> true);
                assertThat(arcs).as("one event per SET the device saw: none lost").hasSize(device.sets.get())
                        .hasSize(2 * COMMANDS);
                assertThat(answered(events).values()).as("each command: its two arcs").allMatch(n -> n == 2);
            }
        }
    }

    @Test
    void a_shutdown_while_the_broker_is_away_ends_within_the_grace_and_the_next_run_sends_the_event_once()
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.dedicated()) {
            createTopics(broker);
            // Slow arcs, so the second arc of the command ends after the broker is gone.
            CountingDevice device = device(Duration.ofSeconds(3));
            ServedDevice served = served(device);
            try (KafkaProducer<byte[], byte[]> coordinator = coordinator(broker);
                    EventTail events = new EventTail(broker.clientConfig(), TOPICS.deviceEvents().name(), 1)) {
                HostAgent first = HostAgent.start(config(broker), List.of(served), CLOCK);
                await().atMost(WAIT).until(() -> !events.of(AgentEvent.DeviceRegistered.class, r -> true).isEmpty());
                send(coordinator, "c0", served, STOP);
                await().atMost(WAIT).until(() -> answered(events).getOrDefault(new CommandId("c0"), 0L) == 1);
                broker.stop();
                await().atMost(WAIT).until(() -> device.sets.get() == 2);

                long started = System.nanoTime();
                first.close();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                // The grace, then at most one blocked send (max.block.ms) and the bounded closes of the clients.
                assertThat(took).as("close gives up on Kafka after the grace").isLessThan(GRACE.plusSeconds(20));
                assertThat(first.loop().failure()).isNull();

                broker.start();
                try (HostAgent second = HostAgent.start(config(broker), List.of(served), CLOCK)) {
                    await().atMost(WAIT).until(() -> events.of(AgentEvent.DeviceRegistered.class, r -> true).size() == 2);
                    // c0 was never recorded as applied (its second event was unacknowledged), so the next
                    // run sends that event first, then consumes c0 again, finds the device already at STOP
                    // and answers without an arc (what a re-asked goal gets, see Commands).
                    await().atMost(WAIT).until(() -> answered(events).getOrDefault(new CommandId("c0"), 0L) == 3);
                    List<AgentEvent.DeviceStateChanged> c0 = events.of(AgentEvent.DeviceStateChanged.class,
                            e -> e.answers().equals(Optional.of(new CommandId("c0"))));
                    assertThat(c0).extracting(AgentEvent.DeviceStateChanged::to).as("the unacknowledged arc, then the re-answer")
                            .containsExactly(MigrationState.RUNNING_P2P, STOP, STOP);
                    assertThat(c0.get(2).from()).as("a zero-arc answer").isEqualTo(STOP);
                    assertThat(device.sets).as("c0, consumed again, is not executed again").hasValue(2);
                    assertGapFreeAndUnrepeated(events, served);
                }
            }
        }
    }

    private static void assertGapFreeAndUnrepeated(EventTail events, ServedDevice served) {
        List<AgentEvent.DeviceEvent> ofDevice = events.poll().stream()
                .filter(e -> e instanceof AgentEvent.DeviceEvent).map(e -> (AgentEvent.DeviceEvent) e)
                .filter(e -> e.device().equals(served.id())).toList();
        assertThat(ofDevice).extracting(AgentEvent.DeviceEvent::sequence).as("1..n, no gap, no repeat")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ofDevice.size()).boxed().toList());
    }

    private static void createTopics(KafkaBroker broker) {
        try (Admin admin = broker.admin()) {
            TopicCreation.ensure(admin, List.of(TOPICS.deviceEvents(), TOPICS.deadLetters(), TOPICS.commands(HOST)),
                    Duration.ofSeconds(60));
        }
    }

    private static CountingDevice device(Duration perArc) {
        return new CountingDevice(new SimulatedDevice(SimulatedDeviceSpec.of("dev-0")
                .withLatency(new LatencyModel(perArc, Map.of(), 0)), CLOCK, Sleeper.REAL));
    }

    private static ServedDevice served(CountingDevice device) {
        return new ServedDevice(new DeviceId("host-a/dev-0"), VM, device, "simulated:dev-0", "vfo-sim", "vfo-sim");
    }

    private static KafkaProducer<byte[], byte[]> coordinator(KafkaBroker broker) {
        return new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> coordinator, String id, ServedDevice served,
            MigrationState target) throws Exception {
        coordinator.send(new ProducerRecord<>(TOPICS.commandsTopic(HOST), TopicCatalog.key(VM),
                LogCodec.encode(new AgentCommand.TransitionDevice(new CommandId(id), new MigrationId("m1"), 1, HOST, VM,
                        Instant.now().plus(Duration.ofMinutes(15)), served.id(), target)))).get();
    }

    private static Map<CommandId, Long> answered(EventTail events) {
        return events.of(AgentEvent.DeviceStateChanged.class, e -> e.answers().isPresent()).stream()
                .collect(Collectors.groupingBy(e -> e.answers().orElseThrow(), Collectors.counting()));
    }

    private AgentConfig config(KafkaBroker broker) {
        Map<String, String> env = Map.ofEntries(
                Map.entry("VFO_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                // Short, so the outage outlasts the producer's own retries (the case that lost records).
                Map.entry("VFO_KAFKA_DELIVERY_TIMEOUT_MS", "3000"),
                Map.entry("VFO_KAFKA_REQUEST_TIMEOUT_MS", "1000"),
                Map.entry("VFO_TOPIC_NAMESPACE", "outage"),
                Map.entry("VFO_TOPIC_PARTITIONS", "1"),
                Map.entry("VFO_HOST_ID", HOST.value()),
                Map.entry("VFO_STATE_DIR", dir.resolve("state").toString()),
                Map.entry("VFO_BACKEND", "simulated"),
                Map.entry("VFO_TRANSFER_HOST", "127.0.0.1"),
                Map.entry("VFO_TRANSFER_PORT", "0"),
                Map.entry("VFO_HEARTBEAT_INTERVAL", "1s"),
                Map.entry("VFO_SHUTDOWN_GRACE_MS", Long.toString(GRACE.toMillis())));
        return AgentConfig.load(env, Optional.empty());
    }
}
