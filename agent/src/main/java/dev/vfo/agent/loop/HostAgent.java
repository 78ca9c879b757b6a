package dev.vfo.agent.loop;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.state.StateDirectory;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host agent assembled from its configuration: state directory, idempotent producer,
 * command consumer, transfer receiver and sender, and the loop. The devices are the caller's
 * (see {@link ServedDevice}); closing the agent leaves them open and in whatever state the last
 * reported event says.
 */
public final class HostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);
    /** First pause before a device event is sent again (doubling up to 5 s). */
    private static final java.time.Duration SEND_BACKOFF = java.time.Duration.ofMillis(100);
    /** Bounds the dead-letter producer's close: nothing is pending by then (each dead letter is awaited). */
    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final StateDirectory state;
    private final Producer<byte[], byte[]> producer;
    private final KafkaEventSink sink;
    private final VertxTransfers transfers;
    private final AgentLoop loop;
    private final String endpoint;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private HostAgent(StateDirectory state, Producer<byte[], byte[]> producer, KafkaEventSink sink,
            VertxTransfers transfers, AgentLoop loop, String endpoint) {
        this.state = state;
        this.producer = producer;
        this.sink = sink;
        this.transfers = transfers;
        this.loop = loop;
        this.endpoint = endpoint;
    }

    public static HostAgent start(AgentConfig config, List<ServedDevice> devices, Clock clock) {
        TopicCatalog topics = config.topics();
        String commandTopic = topics.commandsTopic(config.hostId());
        StateDirectory state = StateDirectory.open(config.stateDir());
        Producer<byte[], byte[]> producer = null;
        KafkaEventSink sink = null;
        VertxTransfers transfers = null;
        Consumer<byte[], byte[]> consumer = null;
        try {
            // Dead letters get a producer of their own: the sink replaces its producer after a fatal error.
            producer = KafkaEventSink.producer(config.bootstrapServers(), config.kafka(),
                    config.agentId().value() + "-dead-letters");
            sink = new KafkaEventSink(() -> KafkaEventSink.producer(config.bootstrapServers(), config.kafka(),
                    config.agentId().value()), topics.deviceEvents().name(), SEND_BACKOFF);
            transfers = VertxTransfers.start(config.transfer(), clock);
            String endpoint = config.advertisedEndpoint(transfers.endpoint().port());
            BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
            Commands commands = new Commands(config.hostId(), config.agentId(), devices, state, sink, transfers, clock,
                    mailbox::add);
            consumer = AgentLoop.consumer(config.bootstrapServers(), config.kafka(), config.agentId().value(),
                    "vfo-agent-" + config.hostId().value());
            AgentLoop loop = new AgentLoop(consumer, commandTopic, new DeadLetters(producer, topics.deadLetters().name()),
                    commands, state, sink, mailbox, clock, config.heartbeatInterval(), config.shutdownGrace(), endpoint);
            LOG.info("agent {} of host {} serves {} devices; commands from {}, transfers at {}", config.agentId(),
                    config.hostId(), devices.size(), commandTopic, endpoint);
            return new HostAgent(state, producer, sink, transfers, loop, endpoint);
        } catch (RuntimeException e) {
            if (consumer != null) {
                consumer.close();
            }
            if (transfers != null) {
                transfers.close();
            }
            if (producer != null) {
                producer.close();
            }
            if (sink != null) {
                sink.close();
            }
            state.close();
            throw e;
        }
    }

    public AgentLoop loop() {
        return loop;
    }

    public Commands commands() {
        return loop.commands();
    }

    /** Where other agents send this agent device state (as DeviceRegistered reports it). */
    public String transferEndpoint() {
        return endpoint;
    }

    /** Idempotent: a signal handler and the owner may both close it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.close();
        transfers.close();
        sink.close();
        producer.close(CLOSE_TIMEOUT);
        state.close();
        LOG.info("agent stopped");
    }
}
