package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.sim.FaithfulDevices;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Test-only stand-in for the agents of several hosts over Kafka: it reads the hosts' command topics
 * and answers with what core's {@link FaithfulDevices} (the one faithful zero-latency agent model)
 * says, at the wall clock. Devices register and heartbeat at start. {@link #holdQuiesce} keeps
 * quiesce commands (source host to RUNNING_P2P / PRE_COPY_P2P) waiting, so a test can act while
 * the barrier is pending.
 */
final class FaithfulAgents implements AutoCloseable {
    static final long INITIAL_BYTES = 1 << 20;
    static final long STOP_COPY_BYTES = 1 << 16;

    /** An arc a device really took, for the test's "nothing happened twice" check. */
    record Applied(DeviceId device, MigrationState from, MigrationState to, CommandId command) {}

    private final VmId vm;
    private final TopicCatalog topics;
    private final FaithfulDevices model;
    private final List<AgentCommand> held = new ArrayList<>();
    final List<Applied> arcs = new CopyOnWriteArrayList<>();
    final List<AgentCommand> refused = new CopyOnWriteArrayList<>();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean holdQuiesce;

    FaithfulAgents(Map<String, Object> client, TopicCatalog topics, VmId vm, Map<DeviceId, HostId> hosts,
            Map<DeviceId, Long> flags) {
        this.vm = vm;
        this.topics = topics;
        this.model = new FaithfulDevices(vm);
        hosts.forEach((d, h) -> model.add(h, new AgentId("agent-" + h.value()), d, flags.get(d), "model-x",
                INITIAL_BYTES, STOP_COPY_BYTES));
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "faithful-agents");
    }

    FaithfulAgents holdQuiesce(boolean hold) {
        holdQuiesce = hold;
        return this;
    }

    /** Registers every device, then answers commands. */
    FaithfulAgents start() {
        List<TopicPartition> tps = new ArrayList<>();
        for (HostId h : model.hosts()) {
            tps.add(new TopicPartition(topics.commandsTopic(h), 0));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        model.registrations(Instant.now()).forEach(this::emit);
        model.heartbeats(Instant.now(), 1).forEach(this::emit);
        thread.start();
        return this;
    }

    private void run() {
        Instant nextHeartbeat = Instant.now().plusSeconds(5);
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Decoded<AgentCommand> d = LogCodec.decodeAgentCommand(r.value());
                    if (d.kind() == Decoded.Kind.OK) {
                        receive(d.orElseThrow());
                    }
                }
                if (!holdQuiesce && !held.isEmpty()) {
                    List<AgentCommand> now = List.copyOf(held);
                    held.clear();
                    now.forEach(this::receive);
                }
                if (Instant.now().isAfter(nextHeartbeat)) {
                    model.heartbeats(Instant.now(), 1).forEach(this::emit);
                    nextHeartbeat = Instant.now().plusSeconds(5);
                }
                producer.flush();
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private void receive(AgentCommand c) {
        if (holdQuiesce && isQuiesce(c)) {
            held.add(c);
            return;
        }
        int arcsBefore = model.arcs().size();
        int refusedBefore = model.refused().size();
        model.answer(c, Instant.now()).forEach(this::emit);
        model.arcs().subList(arcsBefore, model.arcs().size())
                .forEach(a -> arcs.add(new Applied(a.device(), a.from(), a.to(), a.command())));
        refused.addAll(model.refused().subList(refusedBefore, model.refused().size()));
    }

    /**
     * A source device asked to stop initiating P2P. Destination devices also pass RUNNING_P2P on
     * their way to RESUMING (while preparing), so only the source host's commands count.
     */
    static boolean isQuiesce(AgentCommand c) {
        return c instanceof AgentCommand.TransitionDevice t && t.host().equals(CoordinatorIT.SRC)
                && (t.target() == MigrationState.RUNNING_P2P || t.target() == MigrationState.PRE_COPY_P2P);
    }

    private void emit(AgentEvent e) {
        producer.send(new ProducerRecord<>(topics.deviceEvents().name(), TopicCatalog.key(vm), LogCodec.encode(e)));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
        producer.close();
    }
}
