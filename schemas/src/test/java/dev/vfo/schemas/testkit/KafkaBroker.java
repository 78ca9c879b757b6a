package dev.vfo.schemas.testkit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The one way integration tests get a real Kafka broker.
 *
 * <p>Which broker is chosen by {@code -Dvfo.kafka} (or the environment variable {@code VFO_KAFKA}
 * when the property is absent or {@code auto}):
 * <ul>
 *   <li>{@code container}: the locally built image named by {@code -Dvfo.kafka.image} /
 *       {@code VFO_KAFKA_IMAGE} (default {@link #DEFAULT_IMAGE}, {@code vfo/kafka:<Kafka version>}; a machine with a
 *       registry may name {@code apache/kafka:<version>}, which gets the same broker settings) via Testcontainers on the host
 *       network. If it cannot start, getting a broker throws with the reason: tests fail, never skip.</li>
 *   <li>{@code embedded}: {@link dev.vfo.schemas.broker.EmbeddedKafka} in this JVM.</li>
 *   <li>{@code auto} (default): the container when it can run here, else embedded; the choice and
 *       its reason are printed.</li>
 * </ul>
 *
 * <p>{@link #shared()} is one broker per JVM for all test classes (closed by a shutdown hook); it
 * refuses {@link #stop()}/{@link #start()}/{@link #restart()} because other tests use it. A test
 * that takes the broker away uses {@link #dedicated()} and closes it.
 */
public final class KafkaBroker implements AutoCloseable {

    /** What deploy/docker/kafka/build-image.sh builds by default: tagged with the client's Kafka version. */
    public static final String DEFAULT_IMAGE = "vfo/kafka:" + AppInfoParser.getVersion();

    private static final AtomicLong TOPIC_COUNTER = new AtomicLong();
    private static KafkaBroker shared;

    private final BrokerProcess process;
    private final boolean isShared;

    private KafkaBroker(BrokerProcess process, boolean isShared) {
        this.process = process;
        this.isShared = isShared;
    }

    /** The JVM's shared broker, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = new KafkaBroker(launch(), true);
            KafkaBroker closing = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(closing.process::close, "vfo-kafka-broker-close"));
        }
        return shared;
    }

    /** A broker of its own for a test that stops or restarts it; the caller closes it. */
    public static KafkaBroker dedicated() {
        return new KafkaBroker(launch(), false);
    }

    private static BrokerProcess launch() {
        Choice choice = Choice.fromSettings();
        BrokerProcess.Kind kind = choice.resolve();
        BrokerProcess process = switch (kind) {
            case EMBEDDED -> InJvmBroker.launch();
            case CONTAINER -> launchContainer(choice.image());
        };
        System.out.println("[vfo test broker] " + process.bootstrapServers() + ": " + process.describe());
        return process;
    }

    private static BrokerProcess launchContainer(String image) {
        try {
            return ContainerBroker.launch(image);
        } catch (RuntimeException e) {
            throw new IllegalStateException("vfo.kafka=container: the broker container " + image
                    + " did not start: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return process.bootstrapServers();
    }

    public BrokerProcess.Kind kind() {
        return process.kind();
    }

    /** Client settings every producer, consumer and admin needs; a fresh mutable map. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientConfig());
    }

    /** A topic name no other test in this broker's life uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates the topics (replication factor 1) and returns once the broker has them. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topics " + Arrays.toString(names) + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Takes the broker away (clean shutdown), keeping ports and data. */
    public void stop() {
        requireDedicated("stop");
        process.stop();
    }

    /** Brings a stopped broker back on the same ports with the same data; returns when it serves. */
    public void start() {
        requireDedicated("start");
        process.start();
    }

    public void restart() {
        stop();
        start();
    }

    /** Releases a dedicated broker; the shared one is closed by the JVM's shutdown hook instead. */
    @Override
    public void close() {
        if (!isShared) {
            process.close();
        }
    }

    private void requireDedicated(String action) {
        if (isShared) {
            throw new IllegalStateException("cannot " + action + " the shared broker other tests use: take KafkaBroker.dedicated()");
        }
    }

    /** The requested mode and image, read from system properties, then the environment. */
    record Choice(String mode, String image) {

        static Choice fromSettings() {
            String mode = setting("vfo.kafka", "VFO_KAFKA").orElse("auto").toLowerCase(Locale.ROOT);
            return new Choice(mode, setting("vfo.kafka.image", "VFO_KAFKA_IMAGE").orElse(DEFAULT_IMAGE));
        }

        /** A property wins unless absent, unresolved by Maven, or the pom's default {@code auto}. */
        private static Optional<String> setting(String property, String environment) {
            String value = System.getProperty(property, "").trim();
            if (value.isEmpty() || value.startsWith("${") || value.equals("auto")) {
                String fromEnvironment = System.getenv().getOrDefault(environment, "").trim();
                return fromEnvironment.isEmpty() ? Optional.of(value).filter(v -> v.equals("auto")) : Optional.of(fromEnvironment);
            }
            return Optional.of(value);
        }

        BrokerProcess.Kind resolve() {
            switch (mode) {
                case "embedded":
                    return BrokerProcess.Kind.EMBEDDED;
                case "container": {
                    Optional<String> reason = containerUnavailableBecause();
                    if (reason.isPresent()) {
                        throw new IllegalStateException("vfo.kafka=container but " + reason.get());
                    }
                    return BrokerProcess.Kind.CONTAINER;
                }
                case "auto": {
                    Optional<String> reason = containerUnavailableBecause();
                    System.out.println("[vfo test broker] vfo.kafka=auto -> "
                            + reason.map(r -> "embedded, because " + r).orElse("container " + image));
                    return reason.isPresent() ? BrokerProcess.Kind.EMBEDDED : BrokerProcess.Kind.CONTAINER;
                }
                default:
                    throw new IllegalArgumentException("vfo.kafka=" + mode + ": expected container, embedded or auto");
            }
        }

        private Optional<String> containerUnavailableBecause() {
            try {
                return ContainerBroker.unavailableBecause(image);
            } catch (LinkageError e) {
                return Optional.of("Testcontainers is not on this module's test classpath ("
                        + e + "): add org.testcontainers:testcontainers in test scope");
            }
        }
    }
}
