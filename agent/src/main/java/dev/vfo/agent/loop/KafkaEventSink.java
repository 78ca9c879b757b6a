package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.settings.KafkaPassThrough;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent events to {@code <ns>.device-events}: key = VM id, value = LogCodec bytes.
 *
 * <p>A device event is delivered before {@link #send} returns: sent, acknowledged (acks=all), and
 * if it was not acknowledged, sent again with the same bytes (so the same per-device sequence)
 * until it is, or until the sink is {@link #abandon abandoned} on shutdown. Why the sink retries
 * and the producer's own retries are not enough: an idempotent, non-transactional Kafka producer
 * (4.x {@code TransactionManager}) fails a batch that expires after {@code delivery.timeout.ms}
 * (broker away too long) or that the broker answers with OUT_OF_ORDER_SEQUENCE_NUMBER, then bumps
 * its epoch, resets the partition's sequence and carries on with the next record: the failed one
 * is gone unless the application sends it again. Fatal producer errors (fenced, authorization,
 * unsupported version, a producer in a fatal state) make the producer unusable, so the sink closes
 * it and takes a fresh one (a new producer id) for the resend. Device events go one at a time,
 * each acknowledged before the next is sent, so a resend can never land behind a later sequence
 * of the same device: readers drop a sequence at or below one they applied, and that would lose it.
 *
 * <p>Heartbeats are not device events (no sequence; the next one supersedes a lost one): they go
 * asynchronously, and a failed one is logged, never retried and never fails a device event.
 *
 * <p>What the sink cannot rule out: Kafka wrote an event whose acknowledgement never arrived
 * (broker gone mid-request, longer than {@code delivery.timeout.ms}); the resend then repeats it
 * with the same sequence and bytes. Readers drop it; the audit counts it as a repeat.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
    /** How long one look at an acknowledgement waits before checking whether the sink was abandoned. */
    private static final long ACK_SLICE_MS = 200;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String topic;
    private final Duration backoff;
    private Producer<byte[], byte[]> producer;
    private volatile boolean abandoned;

    /**
     * @param producers makes a producer: the first one, and a fresh one after a fatal error
     * @param backoff the first pause between two attempts at one event (doubled up to 5 s)
     */
    public KafkaEventSink(Supplier<Producer<byte[], byte[]>> producers, String topic, Duration backoff) {
        this.producers = Objects.requireNonNull(producers, "producers");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        // The first one now: a configuration Kafka refuses fails the start instead of being retried.
        this.producer = producers.get();
    }

    /**
     * The agent's producer: time-outs first (a pass-through may tune them), then pass-through
     * settings (TLS, SASL), then the ones the agent's guarantees depend on, which a pass-through
     * cannot weaken: idempotence, acks=all, at most 5 requests in flight (the broker keeps the
     * state of the last 5 batches per producer; more could reorder on a retry).
     */
    public static Producer<byte[], byte[]> producer(String bootstrap, Map<String, String> passThrough, String clientId) {
        // Bounded so that a dead broker surfaces as a failed send the sink retries (and a shutdown
        // is not held up for the client's default minutes); the sink itself never gives up.
        Map<String, Object> defaults = Map.of(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        Map<String, Object> forced = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(new KafkaPassThrough(passThrough).clientConfig(defaults, forced),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A device event: returns once Kafka acknowledged it (retrying as long as it takes), or throws
     * {@link EventNotDelivered} if the sink was abandoned first. Anything else: sent, not awaited.
     */
    @Override
    public synchronized void send(AgentEvent event) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, TopicCatalog.key(event.vm()),
                LogCodec.encode(event));
        if (event instanceof AgentEvent.DeviceEvent device) {
            deliver(device, record);
        } else {
            sendAndForget(event, record);
        }
    }

    /** Waits for heartbeats in flight (their failures are only logged); device events are acknowledged already. */
    @Override
    public synchronized void flush() {
        if (abandoned) {
            return;
        }
        try {
            current().flush();
        } catch (KafkaException e) {
            LOG.warn("flushing heartbeats failed (the next heartbeat supersedes them): {}", e.toString());
        }
    }

    /**
     * Stops retrying: a delivery in progress throws {@link EventNotDelivered} within a moment, and
     * so does every later device event. The journal keeps such an event unacknowledged, so the next
     * run sends it again. May be called from any thread (it is how a shutdown gets past a dead broker).
     */
    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private void deliver(AgentEvent.DeviceEvent event, ProducerRecord<byte[], byte[]> record) {
        Duration pause = backoff;
        for (int attempt = 1;; attempt++) {
            if (abandoned) {
                throw new EventNotDelivered(event, "the agent is shutting down");
            }
            Throwable failure;
            boolean fatal;
            try {
                awaitAck(current().send(record));
                if (attempt > 1) {
                    LOG.info("{} of {} (sequence {}) acknowledged after {} attempts", event.kind(), event.device(),
                            event.sequence(), attempt);
                }
                return;
            } catch (ExecutionException e) {
                failure = e.getCause();
                fatal = !(failure instanceof RetriableException);
            } catch (KafkaException e) {
                // Thrown by send() itself: the producer is closed or in a fatal state.
                failure = e;
                fatal = true;
            }
            if (fatal) {
                replaceProducer();
            }
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.warn("{} of {} (sequence {}) not acknowledged on attempt {} ({}); sending it again{}", event.kind(),
                        event.device(), event.sequence(), attempt, failure.toString(),
                        fatal ? " with a fresh producer" : "");
            }
            pause(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause.multipliedBy(2);
        }
    }

    /** The acknowledgement, in slices so that {@link #abandon} is noticed while Kafka is away. */
    private void awaitAck(Future<RecordMetadata> ack) throws ExecutionException {
        while (true) {
            try {
                ack.get(ACK_SLICE_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (abandoned) {
                    throw new ExecutionException(new KafkaException("abandoned while waiting for the acknowledgement"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandoned = true;
            }
        }
    }

    private void sendAndForget(AgentEvent event, ProducerRecord<byte[], byte[]> record) {
        if (abandoned) {
            return;
        }
        try {
            current().send(record, (meta, e) -> {
                if (e != null) {
                    LOG.warn("{} of {} not written (the next one supersedes it): {}", event.kind(), event.vm(),
                            e.toString());
                }
            });
        } catch (KafkaException e) {
            LOG.warn("{} of {} not sent (the next one supersedes it): {}", event.kind(), event.vm(), e.toString());
            replaceProducer();
        }
    }

    private Producer<byte[], byte[]> current() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    /** Closes the unusable producer without waiting (what it still holds is failed or resent). */
    private void replaceProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debug("closing the failed producer: {}", e.toString());
            }
            producer = null;
        }
    }

    private void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        try {
            while (!abandoned && System.nanoTime() < until) {
                Thread.sleep(Math.min(ACK_SLICE_MS, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
        }
    }

    /** A device event Kafka did not acknowledge before the sink was abandoned; the journal still holds it. */
    public static final class EventNotDelivered extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        EventNotDelivered(AgentEvent.DeviceEvent event, String why) {
            super(event.kind() + " of " + event.device() + " (sequence " + event.sequence()
                    + ") was not acknowledged by Kafka: " + why + "; it is sent again at the next start");
        }
    }
}
