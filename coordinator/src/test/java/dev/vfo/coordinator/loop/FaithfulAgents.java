package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * Test-only stand-in for the agents of several hosts, answering like faithful ones: each command
 * id is applied at most once (a repeat is re-reported), commands of an older coordinator epoch or
 * past their deadline are refused, every kernel arc is walked with {@link MigrationFsm} and
 * reported with the device's next sequence, streams complete with matching SHA-256 on both ends.
 * Devices register and heartbeat at start. {@link #holdQuiesce} keeps quiesce commands
 * (source host to RUNNING_P2P / PRE_COPY_P2P) waiting, so a test can act while the barrier is pending.
 */
final class FaithfulAgents implements AutoCloseable {
    static final long INITIAL_BYTES = 1 << 20;
    static final long STOP_COPY_BYTES = 1 << 16;

    private static final class Device {
        final DeviceId id;
        final HostId host;
        final AgentId agent;
        final long flags;
        final MigrationCapability capability;
        MigrationState state = MigrationState.RUNNING;
        long sequence;

        Device(DeviceId id, HostId host, long flags) {
            this.id = id;
            this.host = host;
            this.agent = new AgentId("agent-" + host.value());
            this.flags = flags;
            this.capability = ((FlagsReading.Defined) new MigrationFlags(flags).read()).capability();
        }
    }

    private record Stream(AgentCommand.StartDataTransfer command) {}

    /** An arc a device really took, for the test's "nothing happened twice" check. */
    record Applied(DeviceId device, MigrationState from, MigrationState to, CommandId command) {}

    private final VmId vm;
    private final TopicCatalog topics;
    private final Map<DeviceId, Device> devices = new TreeMap<>();
    private final Map<HostId, Long> newestEpoch = new HashMap<>();
    private final Set<CommandId> applied = new HashSet<>();
    private final Map<DeviceId, Stream> streams = new HashMap<>();
    private final Map<DeviceId, AgentCommand.AcceptDataTransfer> accepted = new HashMap<>();
    private final Map<DeviceId, String> arrived = new HashMap<>();
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
        hosts.forEach((d, h) -> devices.put(d, new Device(d, h, flags.get(d))));
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

    /** Registers every device (and creates the hosts' command topics), then answers commands. */
    FaithfulAgents start() {
        List<TopicPartition> tps = new ArrayList<>();
        for (HostId h : new HashSet<>(devices.values().stream().map(d -> d.host).toList())) {
            tps.add(new TopicPartition(topics.commandsTopic(h), 0));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        for (Device d : devices.values()) {
            emit(new AgentEvent.DeviceRegistered(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                    "0000:3b:00." + (devices.size() % 8), "vfio-pci", "model-x", d.flags, STOP_COPY_BYTES, d.state,
                    d.host.value() + ":7000"));
        }
        heartbeat();
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
                    heartbeat();
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
        long newest = newestEpoch.getOrDefault(c.host(), 0L);
        if (c.coordinatorEpoch() < newest || Instant.now().isAfter(c.deadline())) {
            refused.add(c);
            return;
        }
        newestEpoch.put(c.host(), c.coordinatorEpoch());
        if (c.kind() == AgentCommand.Kind.ABORT_MIGRATION) {
            streams.clear();
            accepted.clear();
            return;
        }
        Device d = devices.get(((AgentCommand.DeviceCommand) c).device());
        if (d == null) {
            return;
        }
        if (!applied.add(c.id())) {
            if (c.kind() == AgentCommand.Kind.TRANSITION_DEVICE || c.kind() == AgentCommand.Kind.RESET_DEVICE) {
                changed(d, c.id(), d.state, d.state);
            }
            return;
        }
        switch (c.kind()) {
            case TRANSITION_DEVICE -> transition((AgentCommand.TransitionDevice) c, d);
            case RESET_DEVICE -> {
                MigrationState from = d.state;
                d.state = MigrationState.RUNNING;
                streams.remove(d.id);
                accepted.remove(d.id);
                arcs.add(new Applied(d.id, from, MigrationState.RUNNING, c.id()));
                changed(d, c.id(), from, MigrationState.RUNNING);
            }
            case START_DATA_TRANSFER -> startStream((AgentCommand.StartDataTransfer) c, d);
            case ACCEPT_DATA_TRANSFER -> {
                accepted.put(d.id, (AgentCommand.AcceptDataTransfer) c);
                String sha = arrived.remove(d.id);
                if (sha != null) {
                    received(d, (AgentCommand.AcceptDataTransfer) c, sha);
                }
            }
            case ABORT_MIGRATION -> throw new IllegalStateException("handled above");
        }
    }

    /**
     * A source device asked to stop initiating P2P. Destination devices also pass RUNNING_P2P on
     * their way to RESUMING (while preparing), so only the source host's commands count.
     */
    static boolean isQuiesce(AgentCommand c) {
        return c instanceof AgentCommand.TransitionDevice t && t.host().equals(CoordinatorIT.SRC)
                && (t.target() == MigrationState.RUNNING_P2P || t.target() == MigrationState.PRE_COPY_P2P);
    }

    private void transition(AgentCommand.TransitionDevice c, Device d) {
        Transition t = MigrationFsm.plan(d.capability, d.state, c.target());
        if (t instanceof Transition.Refused r) {
            emit(new AgentEvent.TransitionFailed(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                    Optional.of(c.id()), d.state, c.target(), r.errno().value(), d.state, r.message()));
            return;
        }
        List<Arc> path = ((Transition.Path) t).arcs();
        if (path.isEmpty()) {
            changed(d, c.id(), d.state, d.state);
            return;
        }
        for (Arc arc : path) {
            d.state = arc.to();
            arcs.add(new Applied(d.id, arc.from(), arc.to(), c.id()));
            changed(d, c.id(), arc.from(), arc.to());
        }
        Stream s = streams.get(d.id);
        if (s != null && d.state == MigrationState.STOP_COPY) {
            complete(d, s);
        }
    }

    private void startStream(AgentCommand.StartDataTransfer c, Device d) {
        Stream s = new Stream(c);
        streams.put(d.id, s);
        if (d.state == MigrationState.STOP_COPY) {
            complete(d, s);
        } else if (d.state == MigrationState.PRE_COPY || d.state == MigrationState.PRE_COPY_P2P) {
            emit(new AgentEvent.PreCopyProgress(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                    c.migration(), INITIAL_BYTES, 0, STOP_COPY_BYTES, INITIAL_BYTES));
        } else {
            streams.remove(d.id);
            emit(new AgentEvent.DataTransferFailed(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                    c.migration(), c.id(), AgentEvent.Direction.SEND, 0, "no open saving session in " + d.state));
        }
    }

    private void complete(Device source, Stream s) {
        streams.remove(source.id);
        AgentCommand.StartDataTransfer c = s.command();
        String sha = Integer.toHexString((c.migration().value() + "/" + source.id.value()).hashCode());
        emit(new AgentEvent.DataTransferCompleted(source.host, source.agent, vm, source.id, ++source.sequence,
                Instant.now(), c.migration(), c.id(), AgentEvent.Direction.SEND, INITIAL_BYTES + STOP_COPY_BYTES, sha));
        Device dst = devices.get(c.destinationDevice());
        AgentCommand.AcceptDataTransfer accept = accepted.get(dst.id);
        if (accept == null) {
            arrived.put(dst.id, sha);
        } else {
            received(dst, accept, sha);
        }
    }

    private void received(Device d, AgentCommand.AcceptDataTransfer accept, String sha) {
        emit(new AgentEvent.DataTransferCompleted(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                accept.migration(), accept.id(), AgentEvent.Direction.RECEIVE, INITIAL_BYTES + STOP_COPY_BYTES, sha));
    }

    private void changed(Device d, CommandId answers, MigrationState from, MigrationState to) {
        emit(new AgentEvent.DeviceStateChanged(d.host, d.agent, vm, d.id, ++d.sequence, Instant.now(),
                Optional.of(answers), from, to, Instant.now(), 0, Optional.empty()));
    }

    private void heartbeat() {
        Map<HostId, List<AgentEvent.DeviceStatus>> byHost = new HashMap<>();
        for (Device d : devices.values()) {
            byHost.computeIfAbsent(d.host, h -> new ArrayList<>())
                    .add(new AgentEvent.DeviceStatus(d.id, d.state, d.sequence));
        }
        byHost.forEach((h, st) -> emit(new AgentEvent.AgentHeartbeat(h, new AgentId("agent-" + h.value()), vm,
                Instant.now(), 1, st)));
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
