package dev.vfo.bench;

import dev.vfo.schemas.topic.TopicCatalog;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Extension point for section 5: an audit engine replaying a catalog's log from its beginning.
 * Found with {@link ServiceLoader} ({@code META-INF/services/dev.vfo.bench.AuditReplay});
 * {@link Replay} times it on the same topics and broker as a raw consumer and reports the ratio.
 * {@link AuditEngineReplay} plugs in {@code dev.vfo.audit}.
 */
public interface AuditReplay {

    /** What is measured, for the report. */
    String description();

    /**
     * Writes a log the audit accepts as clean (at least {@code atLeast} records in all) to the
     * catalog's device-events and coordinator-log topics; returns how many records it wrote.
     */
    long load(String bootstrapServers, TopicCatalog catalog, int atLeast) throws Exception;

    /** Audits every record of the catalog's topics from offset 0; returns how many records it audited. */
    Audited replay(String bootstrapServers, TopicCatalog catalog) throws Exception;

    /**
     * Reads every record of the catalog's topics into memory once (not timed), then audits those
     * records {@code rounds} times on this thread, each round with a fresh engine: decoding and
     * verifying alone, without the consumer.
     */
    InMemory inMemory(String bootstrapServers, TopicCatalog catalog, int rounds) throws Exception;

    /** What one replay saw: records and the violations found (0 on the log {@link #load} wrote). */
    record Audited(long records, long violations) {}

    /** Records audited per round, violations found, and each round's records per second of this thread's CPU time. */
    record InMemory(long records, long violations, double[] cpuRecordsPerSecond) {}

    static Optional<AuditReplay> find() {
        return ServiceLoader.load(AuditReplay.class).findFirst();
    }
}
