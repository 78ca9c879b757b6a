package dev.vfo.agent.loop;

import static dev.vfo.core.vfio.MigrationState.ERROR;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.ContentIdentity;
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
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.deadletter.DeadLetter;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop over a real broker: commands in, events out, restart without re-execution, stale
 * epoch refused, a failing arc, dead letters, and two agents moving 1 GiB of simulated device
 * state through Kafka commands. Each test has a namespace of its own.
 */
class AgentLoopIT {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoopIT.class);
    static final HostId HOST_A = new HostId("host-a");
    static final HostId HOST_B = new HostId("host-b");
    static final VmId VM = new VmId("vm-1");
    static final MigrationId MIGRATION = new MigrationId("m1");
    static final Duration WAIT = Duration.ofSeconds(90);
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final KafkaBroker broker = KafkaBroker.shared();
    final List<AutoCloseable> open = new ArrayList<>();
    TopicCatalog topics;
    String namespace;
    KafkaProducer<byte[], byte[]> coordinator;
    EventTail events;

    @BeforeEach
    void topics() throws Exception {
        namespace = "it" + UUID.randomUUID().toString().substring(0, 8);
        topics = new TopicCatalog(namespace, 1, Optional.empty());
        try (Admin admin = broker.admin()) {
            TopicCreation.ensure(admin, List.of(topics.deviceEvents(), topics.deadLetters(), topics.commands(HOST_A),
                    topics.commands(HOST_B)), Duration.ofSeconds(60));
        }
        coordinator = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        events = new EventTail(broker.clientConfig(), topics.deviceEvents().name(), 1);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        events.close();
        coordinator.close();
    }

    AgentConfig config(HostId host) {
        return config(host, 1 << 20);
    }

    AgentConfig config(HostId host, long progressBytes) {
        Map<String, String> env = new HashMap<>();
        env.put("VFO_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("VFO_TOPIC_NAMESPACE", namespace);
        env.put("VFO_HOST_ID", host.value());
        env.put("VFO_STATE_DIR", dir.resolve(host.value()).toString());
        env.put("VFO_BACKEND", "simulated");
        env.put("VFO_TRANSFER_HOST", "127.0.0.1");
        env.put("VFO_TRANSFER_PORT", "0");
        env.put("VFO_HEARTBEAT_INTERVAL", "1s");
        env.put("VFO_TOPIC_PARTITIONS", "1");
        env.put("VFO_TRANSFER_PROGRESS_BYTES", Long.toString(progressBytes));
        return AgentConfig.from(env);
    }

    HostAgent start(HostId host, ServedDevice... devices) {
        return start(config(host), devices);
    }

    HostAgent start(AgentConfig config, ServedDevice... devices) {
        HostAgent agent = HostAgent.start(config, List.of(devices), CLOCK);
        open.add(agent);
        return agent;
    }

    static ServedDevice served(HostId host, String name, CountingDevice device) {
        return new ServedDevice(new DeviceId(host.value() + "/" + name), VM, device, "simulated:" + name, "vfo-sim",
                "vfo-sim");
    }

    static CountingDevice simulated(SimulatedDeviceSpec spec) {
        return new CountingDevice(new SimulatedDevice(spec, CLOCK, Sleeper.REAL));
    }

    void send(AgentCommand c) throws ExecutionException, InterruptedException {
        coordinator.send(new ProducerRecord<>(topics.commandsTopic(c.host()), TopicCatalog.key(c.vm()),
                LogCodec.encode(c))).get();
    }

    static AgentCommand.TransitionDevice transition(String id, long epoch, HostId host, DeviceId device,
            MigrationState target) {
        return new AgentCommand.TransitionDevice(new CommandId(id), MIGRATION, epoch, host, VM,
                Instant.now().plus(Duration.ofMinutes(15)), device, target);
    }

    List<AgentEvent.DeviceStateChanged> answering(String command) {
        return events.of(AgentEvent.DeviceStateChanged.class,
                e -> e.answers().equals(Optional.of(new CommandId(command))));
    }

    @Test
    void commands_in_events_out_and_a_restart_re_reports_instead_of_re_executing() throws Exception {
        CountingDevice device = simulated(SimulatedDeviceSpec.of("dev-0"));
        ServedDevice served = served(HOST_A, "dev-0", device);
        HostAgent agent = start(HOST_A, served);
        await().atMost(WAIT).until(() -> !events.of(AgentEvent.AgentHeartbeat.class, h -> h.agentEpoch() == 1).isEmpty());
        AgentEvent.DeviceRegistered registered = events.of(AgentEvent.DeviceRegistered.class, r -> true).get(0);
        assertThat(registered.sequence()).isEqualTo(1);
        assertThat(registered.transferEndpoint()).isEqualTo(agent.transferEndpoint()).startsWith("127.0.0.1:");

        send(transition("c1", 1, HOST_A, served.id(), STOP));
        await().atMost(WAIT).until(() -> answering("c1").size() == 2);
        assertThat(answering("c1")).extracting(e -> e.from() + ">" + e.to() + "#" + e.sequence())
                .containsExactly("RUNNING>RUNNING_P2P#2", "RUNNING_P2P>STOP#3");
        assertThat(device.sets).hasValue(2);

        agent.close();
        start(HOST_A, served);
        await().atMost(WAIT).until(() -> !events.of(AgentEvent.AgentHeartbeat.class, h -> h.agentEpoch() == 2).isEmpty());
        assertThat(events.of(AgentEvent.DeviceRegistered.class, r -> true)).extracting(AgentEvent.DeviceRegistered::sequence)
                .containsExactly(1L, 4L);

        send(transition("c1", 1, HOST_A, served.id(), STOP));
        send(transition("c2", 1, HOST_A, served.id(), RUNNING));
        await().atMost(WAIT).until(() -> answering("c2").size() == 2);
        assertThat(answering("c1")).as("c1 re-reported with its recorded events").hasSize(4)
                .extracting(AgentEvent.DeviceStateChanged::sequence).containsExactly(2L, 3L, 2L, 3L);
        assertThat(answering("c2")).extracting(AgentEvent.DeviceStateChanged::sequence).containsExactly(5L, 6L);
        assertThat(device.sets).as("c1 was not executed again: 2 arcs for c1, 2 for c2").hasValue(4);
    }

    @Test
    void a_command_of_an_older_coordinator_epoch_is_refused() throws Exception {
        CountingDevice device = simulated(SimulatedDeviceSpec.of("dev-0"));
        ServedDevice served = served(HOST_A, "dev-0", device);
        HostAgent agent = start(HOST_A, served);
        send(transition("e5", 5, HOST_A, served.id(), RUNNING_P2P));
        send(transition("e4", 4, HOST_A, served.id(), STOP));
        send(transition("e5b", 5, HOST_A, served.id(), RUNNING));
        await().atMost(WAIT).until(() -> answering("e5b").size() == 1);
        assertThat(answering("e4")).isEmpty();
        assertThat(events.of(AgentEvent.TransitionFailed.class, f -> true)).isEmpty();
        assertThat(device.sets).hasValue(2);
        assertThat(agent.commands().refusalCounts()).containsEntry(Refusal.Kind.STALE_EPOCH, 1L);
        assertThat(agent.commands().recentRefusals()).extracting(Refusal::command).containsExactly(new CommandId("e4"));
    }

    @Test
    void a_failing_arc_is_reported_with_errno_and_read_back_state() throws Exception {
        CountingDevice device = simulated(SimulatedDeviceSpec.of("dev-0")
                .withFault(ArcFault.once(RUNNING_P2P, STOP, Errno.EIO.value(), AfterFailure.ERROR)));
        ServedDevice served = served(HOST_A, "dev-0", device);
        start(HOST_A, served);
        send(transition("c1", 1, HOST_A, served.id(), STOP));
        await().atMost(WAIT).until(() -> !events.of(AgentEvent.TransitionFailed.class, f -> true).isEmpty());
        AgentEvent.TransitionFailed f = events.of(AgentEvent.TransitionFailed.class, x -> true).get(0);
        assertThat(f.answers()).contains(new CommandId("c1"));
        assertThat(f.from()).isEqualTo(RUNNING_P2P);
        assertThat(f.requested()).isEqualTo(STOP);
        assertThat(f.errno()).isEqualTo(Errno.EIO.value());
        assertThat(f.readBack()).isEqualTo(ERROR);
        assertThat(answering("c1")).extracting(AgentEvent.DeviceStateChanged::to).containsExactly(RUNNING_P2P);
    }

    @Test
    void an_undecodable_command_is_dead_lettered_and_the_loop_goes_on() throws Exception {
        CountingDevice device = simulated(SimulatedDeviceSpec.of("dev-0"));
        ServedDevice served = served(HOST_A, "dev-0", device);
        start(HOST_A, served);
        byte[] garbage = "not a command".getBytes(StandardCharsets.UTF_8);
        coordinator.send(new ProducerRecord<>(topics.commandsTopic(HOST_A), TopicCatalog.key(VM), garbage)).get();
        send(transition("after", 1, HOST_A, served.id(), RUNNING_P2P));
        await().atMost(WAIT).until(() -> answering("after").size() == 1);
        TopicPartition commands = new TopicPartition(topics.commandsTopic(HOST_A), 0);
        try (Admin admin = broker.admin()) {
            // The monitoring copy of the consumed offset (lag dashboards read the group vfo-agent-<host>).
            await().atMost(WAIT).until(() -> {
                var offsets = admin.listConsumerGroupOffsets("vfo-agent-" + HOST_A.value())
                        .partitionsToOffsetAndMetadata().get();
                return offsets.containsKey(commands) && offsets.get(commands).offset() == 2;
            });
        }

        Map<String, Object> c = broker.clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> letters = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < TopicCatalog.DEAD_LETTER_PARTITIONS; p++) {
                parts.add(new TopicPartition(topics.deadLetters().name(), p));
            }
            letters.assign(parts);
            letters.seekToBeginning(parts);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                letters.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            assertThat(got).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo(garbage);
                DeadLetter letter = DeadLetters.read(r).orElseThrow();
                assertThat(letter.topic()).isEqualTo(topics.commandsTopic(HOST_A));
            });
        }
    }

    @Test
    void on_shutdown_a_transfer_in_flight_is_reported_failed_on_both_sides() throws Exception {
        // A pre-copying source with nothing dirty has sent all it has and waits: the stream stays open.
        CountingDevice src = simulated(SimulatedDeviceSpec.of("nic").withSizes(4 << 20, 4096));
        CountingDevice dst = simulated(SimulatedDeviceSpec.of("nic"));
        ServedDevice source = served(HOST_A, "nic", src);
        ServedDevice destination = served(HOST_B, "nic", dst);
        HostAgent a = start(HOST_A, source);
        HostAgent b = start(HOST_B, destination);
        send(transition("d-resume", 1, HOST_B, destination.id(), RESUMING));
        send(transition("s-precopy", 1, HOST_A, source.id(), MigrationState.PRE_COPY));
        await().atMost(WAIT).until(() -> answering("d-resume").stream().anyMatch(e -> e.to() == RESUMING)
                && answering("s-precopy").stream().anyMatch(e -> e.to() == MigrationState.PRE_COPY));
        send(new AgentCommand.AcceptDataTransfer(new CommandId("accept"), MIGRATION, 1, HOST_B, VM,
                Instant.now().plus(Duration.ofMinutes(15)), destination.id(), HOST_A, source.id()));
        send(new AgentCommand.StartDataTransfer(new CommandId("start"), MIGRATION, 1, HOST_A, VM,
                Instant.now().plus(Duration.ofMinutes(15)), source.id(), HOST_B, destination.id(), b.transferEndpoint()));
        await().atMost(WAIT).until(() -> events.of(AgentEvent.DataTransferProgress.class,
                p -> p.direction() == AgentEvent.Direction.RECEIVE && p.bytes() >= (4 << 20)).size() > 0);
        // At the heartbeat tick the pre-copying source reports what the saga's convergence needs.
        await().atMost(WAIT).until(() -> !events.of(AgentEvent.PreCopyProgress.class,
                p -> p.bytesSent() >= (4 << 20) && p.initialBytes() == 0).isEmpty());
        AgentEvent.PreCopyProgress info = events.of(AgentEvent.PreCopyProgress.class, p -> p.bytesSent() >= (4 << 20))
                .get(0);
        assertThat(info.migration()).isEqualTo(MIGRATION);
        assertThat(info.device()).isEqualTo(source.id());
        assertThat(info.dirtyBytes()).isZero();
        assertThat(info.stopCopySizeEstimate()).isPositive();

        a.close();
        await().atMost(WAIT).until(() -> events.of(AgentEvent.DataTransferFailed.class, e -> true).size() == 2);
        assertThat(events.of(AgentEvent.DataTransferFailed.class, e -> true))
                .extracting(AgentEvent.DataTransferFailed::direction)
                .containsExactlyInAnyOrder(AgentEvent.Direction.SEND, AgentEvent.Direction.RECEIVE);
        assertThat(events.of(AgentEvent.DataTransferFailed.class, e -> e.direction() == AgentEvent.Direction.SEND)
                .get(0).reason()).contains("shutting down");
        assertThat(events.of(AgentEvent.DataTransferCompleted.class, e -> true)).isEmpty();
        assertThat(src.inner().state().ok()).contains(MigrationState.PRE_COPY);
    }

    @Test
    void two_agents_move_one_gibibyte_of_device_state_through_kafka_commands_byte_equal() throws Exception {
        long gib = 1L << 30;
        ContentIdentity content = new ContentIdentity("host-a/gpu", 77, 3);
        CountingDevice src = simulated(SimulatedDeviceSpec.of("gpu").withContent(content).withSizes(gib, 1 << 20)
                .withChunk(1 << 20));
        CountingDevice dst = simulated(SimulatedDeviceSpec.of("gpu"));
        ServedDevice source = served(HOST_A, "gpu", src);
        ServedDevice destination = served(HOST_B, "gpu", dst);
        start(config(HOST_A, 128L << 20).withTransfer(config(HOST_A).transfer().withChunkBytes(1 << 20)
                .withProgressEveryBytes(128L << 20)), source);
        HostAgent b = start(config(HOST_B, 128L << 20), destination);

        send(transition("d-resume", 1, HOST_B, destination.id(), RESUMING));
        send(transition("s-stopcopy", 1, HOST_A, source.id(), STOP_COPY));
        await().atMost(WAIT).until(() -> answering("d-resume").stream().anyMatch(e -> e.to() == RESUMING)
                && answering("s-stopcopy").stream().anyMatch(e -> e.to() == STOP_COPY));

        long started = System.nanoTime();
        send(new AgentCommand.AcceptDataTransfer(new CommandId("accept"), MIGRATION, 1, HOST_B, VM,
                Instant.now().plus(Duration.ofMinutes(15)), destination.id(), HOST_A, source.id()));
        send(new AgentCommand.StartDataTransfer(new CommandId("start"), MIGRATION, 1, HOST_A, VM,
                Instant.now().plus(Duration.ofMinutes(15)), source.id(), HOST_B, destination.id(), b.transferEndpoint()));
        await().atMost(Duration.ofMinutes(15)).until(() ->
                events.of(AgentEvent.DataTransferCompleted.class, e -> true).size() == 2
                        || !events.of(AgentEvent.DataTransferFailed.class, e -> true).isEmpty());
        assertThat(events.of(AgentEvent.DataTransferFailed.class, e -> true)).isEmpty();
        double seconds = (System.nanoTime() - started) / 1e9;
        AgentEvent.DataTransferCompleted sent = events.of(AgentEvent.DataTransferCompleted.class,
                e -> e.direction() == AgentEvent.Direction.SEND).get(0);
        AgentEvent.DataTransferCompleted received = events.of(AgentEvent.DataTransferCompleted.class,
                e -> e.direction() == AgentEvent.Direction.RECEIVE).get(0);
        assertThat(sent.answers()).isEqualTo(new CommandId("start"));
        assertThat(received.answers()).isEqualTo(new CommandId("accept"));
        assertThat(received.bytes()).isEqualTo(sent.bytes()).isGreaterThan(gib);
        assertThat(received.sha256()).isEqualTo(sent.sha256());
        assertThat(events.of(AgentEvent.DataTransferProgress.class, e -> true)).as("progress from both sides")
                .extracting(AgentEvent.DataTransferProgress::direction)
                .contains(AgentEvent.Direction.SEND, AgentEvent.Direction.RECEIVE);

        // The commit point: the destination leaves RESUMING, which checks the whole stream.
        send(transition("d-commit", 1, HOST_B, destination.id(), STOP));
        send(transition("s-stop", 1, HOST_A, source.id(), STOP));
        await().atMost(WAIT).until(() -> answering("d-commit").size() == 1 && answering("s-stop").size() == 1);
        assertThat(events.of(AgentEvent.TransitionFailed.class, e -> true)).isEmpty();
        AgentEvent.DeviceStateChanged commit = answering("d-commit").get(0);
        assertThat(commit.from() + ">" + commit.to()).isEqualTo("RESUMING>STOP");
        assertThat(commit.sha256()).contains(received.sha256());
        assertThat(commit.bytes()).isEqualTo(received.bytes());
        assertThat(answering("s-stop").get(0).sha256()).contains(sent.sha256());
        SimulatedDevice resumed = (SimulatedDevice) dst.inner();
        assertThat(resumed.content()).isEqualTo(content);
        assertThat(resumed.lastResumed().orElseThrow().dataBytes()).isEqualTo(gib + (1 << 20));
        LOG.info("1 GiB through two agents: {} bytes in {} s ({} MiB/s)", received.bytes(),
                String.format("%.1f", seconds), String.format("%.1f", received.bytes() / seconds / (1 << 20)));
    }
}
