package dev.vfo.schemas.testkit;

import dev.vfo.schemas.broker.EmbeddedKafka;

/** The embedded mode: the production {@link EmbeddedKafka}, so tests exercise what vfo demo runs. */
final class InJvmBroker implements BrokerProcess {

    private final EmbeddedKafka kafka;

    private InJvmBroker(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    static InJvmBroker launch() {
        return new InJvmBroker(EmbeddedKafka.launch());
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String describe() {
        return "in-JVM KRaft broker, data in " + kafka.directory() + ", started in " + kafka.lastStartup().toMillis() + " ms";
    }

    @Override
    public void stop() {
        kafka.stop();
    }

    @Override
    public void start() {
        kafka.start();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
