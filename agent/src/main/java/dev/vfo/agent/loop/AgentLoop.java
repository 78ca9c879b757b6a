package dev.vfo.agent.loop;

import dev.vfo.agent.state.StateDirectory;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.deadletter.RecordDecoder;
import dev.vfo.schemas.settings.KafkaPassThrough;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Kafka loop: one thread consumes this host's command topic (its only partition,
 * assigned, not subscribed: the offset lives in the state directory next to the applied ids, so
 * the two can never disagree), hands each decoded command to {@link Commands}, dead-letters
 * undecodable records, runs what transfers posted to its mailbox, and sends heartbeats.
 *
 * <p>{@link #close()} stops taking commands, lets the command in hand finish (a kernel SET is
 * synchronous; each arc's event is acknowledged before the next), aborts transfers still in
 * flight and reports their failure, flushes the producer and closes. See DESIGN.md.
 */
public final class AgentLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final RecordDecoder<AgentCommand> decoder;
    private final Commands commands;
    private final StateDirectory state;
    private final EventSink sink;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final long agentEpoch;
    private final Duration shutdownGrace;
    private final BlockingQueue<Runnable> mailbox;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Instant nextHeartbeat = Instant.MIN;
    /** Loop thread only: the offset last committed to the monitoring group, and whether one is on its way. */
    private long mirrored = -1;
    private boolean mirroring;

    /**
     * Starts the loop: positions the consumer (at the recorded offset, or at the end on a first
     * start, recorded at once so no later command is skipped), runs {@link Commands#startUp}, then
     * consumes on its own thread.
     */
    public AgentLoop(Consumer<byte[], byte[]> consumer, String commandTopic, DeadLetters deadLetters, Commands commands,
            StateDirectory state, EventSink sink, BlockingQueue<Runnable> mailbox, Clock clock,
            Duration heartbeatInterval, Duration shutdownGrace, String transferEndpoint) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.partition = new TopicPartition(commandTopic, 0);
        this.decoder = new RecordDecoder<>(LogCodec::decodeAgentCommand, deadLetters);
        this.commands = Objects.requireNonNull(commands, "commands");
        this.state = Objects.requireNonNull(state, "state");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.agentEpoch = state.beginRun();
        consumer.assign(List.of(partition));
        OptionalLong recorded = state.offset();
        if (recorded.isPresent()) {
            consumer.seek(partition, recorded.getAsLong());
        } else {
            consumer.seekToEnd(List.of(partition));
            state.offset(consumer.position(partition));
        }
        LOG.info("agent run {} consumes {} from offset {}", agentEpoch, partition, state.offset().getAsLong());
        commands.startUp(transferEndpoint);
        this.thread = new Thread(this::run, "vfo-agent-loop");
        thread.start();
    }

    /**
     * The consumer settings of the command loop: read_committed, the partition assigned (no group
     * membership). {@code group} ({@code vfo-agent-<host id>}) only receives the consumed offset,
     * as a copy for lag monitoring; the state directory's offset is the one the agent resumes from.
     */
    public static Consumer<byte[], byte[]> consumer(String bootstrap, Map<String, String> passThrough, String clientId,
            String group) {
        Map<String, Object> forced = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Commands written in a coordinator transaction that aborted must never run.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> c = new KafkaPassThrough(passThrough).clientConfig(Map.of(), forced);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The agent epoch this run reports in heartbeats (restarts + 1). */
    public long agentEpoch() {
        return agentEpoch;
    }

    public Commands commands() {
        return commands;
    }

    /** Why the loop stopped on its own, if it did (e.g. Kafka refused events for too long). */
    public Throwable failure() {
        return failure.get();
    }

    public boolean isRunning() {
        return running && stopped.getCount() > 0;
    }

    private void run() {
        try {
            while (running) {
                heartbeatIfDue();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (!running) {
                        // Not handled: the recorded offset still points at it, the next run takes it.
                        break;
                    }
                    take(record);
                    drainMailbox();
                }
                drainMailbox();
                mirrorOffset();
            }
        } catch (WakeupException e) {
            // close() woke the poll: fall through to the orderly stop.
        } catch (KafkaEventSink.EventNotDelivered e) {
            // Only an abandoned sink throws this, and only close() abandons it.
            LOG.warn("the agent loop stopped during shutdown: {}", e.getMessage());
        } catch (RuntimeException | Error e) {
            failure.set(e);
            LOG.error("the agent loop stopped: {}", e.toString(), e);
        } finally {
            running = false;
            stopped.countDown();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        long next = record.offset() + 1;
        var command = decoder.decode(record);
        if (command.isEmpty()) {
            decoder.awaitDeadLetters();
            LOG.warn("command record at offset {} does not decode: dead-lettered", record.offset());
            state.offset(next);
            return;
        }
        Commands.Verdict v = commands.handle(command.get(), OptionalLong.of(next));
        LOG.debug("command {} at offset {}: {}", command.get().id(), record.offset(), v);
    }

    /**
     * The group's committed offset is a copy for lag monitoring only (see {@link #consumer}). One
     * commit at a time; a failed one (e.g. while the broker still creates its offsets topic) is
     * retried on a later turn of the loop. Callbacks run inside poll, on this thread.
     */
    private void mirrorOffset() {
        long next = state.offset().orElse(-1);
        if (mirroring || next <= mirrored) {
            return;
        }
        mirroring = true;
        consumer.commitAsync(Map.of(partition, new OffsetAndMetadata(next)), (offsets, e) -> {
            mirroring = false;
            if (e == null) {
                mirrored = Math.max(mirrored, next);
            } else {
                LOG.debug("the monitoring copy of the command offset was not committed (retried): {}", e.toString());
            }
        });
    }

    private void drainMailbox() {
        for (Runnable r = mailbox.poll(); r != null; r = mailbox.poll()) {
            r.run();
        }
    }

    private void heartbeatIfDue() {
        Instant now = clock.instant();
        if (!now.isBefore(nextHeartbeat)) {
            commands.heartbeat(agentEpoch);
            commands.preCopyProgress();
            nextHeartbeat = now.plus(heartbeatInterval);
        }
    }

    /**
     * Stops: no new command is taken; the one in hand finishes with its events; transfers still in
     * flight are aborted and reported failed; every event is flushed; the consumer is closed.
     */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        // One deadline for the whole shutdown (the systemd unit's TimeoutStopSec sits above it):
        // when it passes, the sink stops waiting for Kafka, so an event Kafka has not taken stays
        // in the journal for the next run instead of holding the process.
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        CompletableFuture<Void> giveUp = CompletableFuture.runAsync(() -> {
            LOG.warn("shutdown grace of {} is over: events Kafka has not acknowledged are sent at the next start",
                    shutdownGrace);
            sink.abandon();
        }, CompletableFuture.delayedExecutor(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS));
        try {
            stopped.await();
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The loop thread is gone: this thread now owns the commands (still one thread at a time).
        if (commands.abortAll("the agent is shutting down") > 0) {
            while (commands.transfersInFlight() && System.nanoTime() < deadline) {
                drainOnce();
            }
        }
        drainOnce();
        try {
            sink.flush();
        } catch (RuntimeException e) {
            LOG.error("events could not be flushed on shutdown (they are recorded and will be re-sent): {}", e.toString());
        }
        giveUp.cancel(false);
        commands.closeSessions();
        // Bounded: the group's offset is only the monitoring copy, not worth a wait on a dead broker.
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private void drainOnce() {
        try {
            Runnable r = mailbox.poll(50, TimeUnit.MILLISECONDS);
            if (r != null) {
                r.run();
            }
            drainMailbox();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // An event of an aborted transfer that Kafka did not take: recorded, sent at the next start.
            LOG.error("during shutdown: {}", e.toString());
        }
    }
}
