package dev.vfo.bench;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.sim.FaithfulDevices;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The suite playing the agents of several hosts over Kafka: one consumer (the control plane's
 * settings, {@link ControlPlaneClients}) per host's command topic, each on its own thread, and the
 * answers of core's {@link FaithfulDevices} (zero-latency devices) produced to the device-events
 * topic with the agents' producer settings. Only the coordinator and Kafka take time.
 *
 * <p>A {@link Tap} sees every command as it is consumed and may hold it back (the barrier driver
 * holds the last quiesce command); {@link #answer} answers a held command later.
 */
final class KafkaAgents implements AutoCloseable {

    /** What the driver wants to see or steer; called on the host's consumer thread. */
    interface Tap {
        /** {@code c} was polled at {@code polledNanos}; true to hold it instead of answering. */
        boolean consumed(AgentCommand c, long polledNanos);

        /** {@code c} was answered; its last event was handed to the producer at {@code sentNanos}. */
        default void answered(AgentCommand c, long sentNanos) {}
    }

    static final Tap PASS = (c, t) -> false;

    private final TopicCatalog topics;
    private final Map<VmId, FaithfulDevices> vms = new ConcurrentHashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong produced = new AtomicLong();
    private volatile Tap tap = PASS;
    private volatile boolean running = true;

    KafkaAgents(String bootstrap, TopicCatalog topics, List<HostId> hosts) {
        this.topics = topics;
        this.producer = ControlPlaneClients.producer(bootstrap);
        for (HostId h : hosts) {
            KafkaConsumer<byte[], byte[]> c = ControlPlaneClients.consumer(bootstrap);
            TopicPartition tp = new TopicPartition(topics.commandsTopic(h), 0);
            c.assign(List.of(tp));
            c.seekToEnd(List.of(tp));
            c.position(tp); // resolves the end now: a command produced later is read
            consumers.add(c);
            Thread t = new Thread(() -> run(c), "bench-agent-" + h.value());
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    void tap(Tap t) {
        tap = t;
    }

    /** Adds a VM's devices and produces their registrations. */
    void add(FaithfulDevices vm) {
        vms.put(vm.vm(), vm);
        List<AgentEvent> regs;
        synchronized (vm) {
            regs = vm.registrations(Instant.now());
        }
        regs.forEach(this::emit);
    }

    /** Device events produced so far (registrations and answers). */
    long produced() {
        return produced.get();
    }

    void flush() {
        producer.flush();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer) {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(50));
                long polled = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    Decoded<AgentCommand> d = LogCodec.decodeAgentCommand(r.value());
                    if (d.kind() != Decoded.Kind.OK) {
                        continue;
                    }
                    AgentCommand c = d.orElseThrow();
                    if (!tap.consumed(c, polled)) {
                        answer(c);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    /** Answers {@code c} at once, as its host's agent would. */
    void answer(AgentCommand c) {
        FaithfulDevices vm = vms.get(c.vm());
        if (vm == null) {
            return;
        }
        List<AgentEvent> out;
        synchronized (vm) {
            out = vm.answer(c, Instant.now());
        }
        long sent = 0;
        for (AgentEvent e : out) {
            sent = emit(e);
        }
        if (!out.isEmpty()) {
            tap.answered(c, sent);
        }
    }

    /** Hands {@code e} to the producer; the moment it did so. */
    private long emit(AgentEvent e) {
        byte[] bytes = LogCodec.encode(e);
        long at = System.nanoTime();
        producer.send(new ProducerRecord<>(topics.deviceEvents().name(), TopicCatalog.key(e.vm()), bytes));
        produced.incrementAndGet();
        return at;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread t : threads) {
            t.join(10_000);
        }
        consumers.forEach(KafkaConsumer::close);
        producer.close(Duration.ofSeconds(10));
    }
}
