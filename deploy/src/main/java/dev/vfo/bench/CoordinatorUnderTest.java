package dev.vfo.bench;

import dev.vfo.schemas.topic.TopicCatalog;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Extension point for sections 2 to 4: the coordinator's Kafka loop (branch loop), started on the
 * suite's broker and topics. The suite plays the agents itself (test-only responders that answer
 * every command at once), so what it times is the coordinator and Kafka, nothing else.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.vfo.bench.CoordinatorUnderTest};
 * {@link EndToEnd} finds it with {@link ServiceLoader}.
 */
public interface CoordinatorUnderTest {

    /** What runs, for the report (implementation, its settings: threads, transactions per batch). */
    String description();

    /**
     * Starts one coordinator instance consuming {@code catalog}'s topics on {@code bootstrapServers};
     * returns once it owns every VM partition. Closing the handle stops it.
     */
    AutoCloseable start(String bootstrapServers, TopicCatalog catalog) throws Exception;

    static Optional<CoordinatorUnderTest> find() {
        return ServiceLoader.load(CoordinatorUnderTest.class).findFirst();
    }
}
