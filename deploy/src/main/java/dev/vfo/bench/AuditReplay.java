package dev.vfo.bench;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Extension point for section 5: the audit engine ({@code dev.vfo.audit}, branch audit) replaying
 * a log topic from its beginning. When an implementation is on the class path (registered in
 * {@code META-INF/services/dev.vfo.bench.AuditReplay}), {@link Replay} times it on the same topic
 * and broker as the raw consumer and reports the ratio; until then the row says it did not run.
 */
public interface AuditReplay {

    /** What is measured, for the report (e.g. "dev.vfo.audit replay: decode + chain check + re-decide"). */
    String description();

    /**
     * Replays every record of {@code topic} (all partitions, from offset 0, read_committed) and
     * returns how many records it replayed; the caller times the call. It must stop after
     * {@code expectedRecords} records (the topic holds exactly that many).
     */
    long replay(String bootstrapServers, String topic, long expectedRecords) throws Exception;

    static Optional<AuditReplay> find() {
        return ServiceLoader.load(AuditReplay.class).findFirst();
    }
}
