package dev.vfo.schemas.testkit;

/**
 * One running Kafka behind a {@link KafkaBroker}: in this JVM or in a container. Both keep their
 * ports and data across {@link #stop()}/{@link #start()}.
 */
sealed interface BrokerProcess permits InJvmBroker, ContainerBroker {

    /** Where a broker can come from; a {@code switch} over it must name every kind. */
    enum Kind { EMBEDDED, CONTAINER }

    Kind kind();

    String bootstrapServers();

    /** Human-readable origin, printed with the choice (image name, data directory). */
    String describe();

    void stop();

    void start();

    /** Stops and releases everything (container removed, temporary data deleted). */
    void close();
}
