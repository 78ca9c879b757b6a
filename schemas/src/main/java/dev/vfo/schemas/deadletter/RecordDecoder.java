package dev.vfo.schemas.deadletter;

import dev.vfo.schemas.codec.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What every consumer loop decodes records with: a record that decodes is returned, one that does
 * not goes to the dead-letter topic with its bytes and reason, and the loop moves on. A bad record
 * therefore never stops or poisons a partition.
 *
 * @param <T> the domain type, e.g. {@code AgentEvent}
 */
public final class RecordDecoder<T> {

    private final Function<byte[], Decoded<T>> decode;
    private final DeadLetters deadLetters;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    /** @param decode one of {@code LogCodec}'s decode methods */
    public RecordDecoder(Function<byte[], Decoded<T>> decode, DeadLetters deadLetters) {
        this.decode = Objects.requireNonNull(decode);
        this.deadLetters = Objects.requireNonNull(deadLetters);
    }

    /** The decoded value, or empty after handing the record to the dead-letter topic. */
    public Optional<T> decode(ConsumerRecord<byte[], byte[]> record) {
        Decoded<T> d = decode.apply(record.value());
        switch (d.kind()) {
            case OK:
                return Optional.of(d.orElseThrow());
            case FAILED:
                pending.add(deadLetters.send(record, ((Decoded.Failed<T>) d).failure()));
                return Optional.empty();
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * Waits until every dead letter sent so far is acknowledged; a non-transactional loop calls this
     * before committing offsets. Throws if a letter could not be written (then the offsets must not
     * be committed: the records will be consumed and dead-lettered again).
     */
    public void awaitDeadLetters() {
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing dead letters", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a dead letter could not be written: " + e.getCause(), e.getCause());
        } finally {
            pending.removeIf(Future::isDone);
        }
    }
}
