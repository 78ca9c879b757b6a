package dev.vfo.schemas.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one process) running inside this JVM on
 * Kafka's own server code, listening on 127.0.0.1 only.
 *
 * <p>Storage is formatted once (on first start, if the data directory holds no
 * {@code meta.properties}); {@link #stop()} and {@link #start()} keep the ports and the data, so a
 * caller can take the broker away and bring it back as a real restart would. {@link #close()}
 * stops it and deletes the data directory when this object created it.
 *
 * <p>Not thread-safe for concurrent lifecycle calls; the broker itself serves any number of
 * clients.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path directory;
    private final boolean ownsDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private Duration lastStartup = Duration.ZERO;

    private EmbeddedKafka(Settings settings) {
        BrokerLogging.quietByDefault();
        try {
            this.ownsDirectory = settings.directory().isEmpty();
            this.directory = settings.directory().isPresent()
                    ? Files.createDirectories(settings.directory().get())
                    : Files.createTempDirectory("vfo-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        this.brokerPort = settings.brokerPort() == 0 ? freePort() : settings.brokerPort();
        this.controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
        this.overrides = Map.copyOf(settings.overrides());
    }

    /** Starts a broker on free ports with a temporary data directory deleted on {@link #close()}. */
    public static EmbeddedKafka launch() {
        return launch(Settings.defaults());
    }

    /** Starts a broker as the settings say; returns once it accepts clients. */
    public static EmbeddedKafka launch(Settings settings) {
        EmbeddedKafka kafka = new EmbeddedKafka(settings);
        try {
            kafka.startServer();
        } catch (RuntimeException | Error e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** {@code 127.0.0.1:port} of the client listener; stable across {@link #stop()}/{@link #start()}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Where the log and the KRaft metadata live. */
    public Path directory() {
        return directory;
    }

    /** How long the most recent start took, from formatting/config to accepting clients. */
    public Duration lastStartup() {
        return lastStartup;
    }

    public boolean running() {
        return server != null;
    }

    /** Brings a stopped broker back on the same ports with the same data. No-op when running. */
    public void start() {
        if (server == null) {
            startServer();
        }
    }

    /** Shuts the broker down cleanly, keeping its data. No-op when stopped. */
    public void stop() {
        KafkaRaftServer running = server;
        server = null;
        if (running != null) {
            running.shutdown();
            running.awaitShutdown();
        }
    }

    /** {@link #stop()} then {@link #start()}: a broker restart with the same ports and data. */
    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownsDirectory) {
                deleteRecursively(directory);
            }
        }
    }

    private void startServer() {
        long begin = System.nanoTime();
        Properties props = serverProperties();
        formatIfNeeded(props);
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            throw e;
        }
        server = starting;
        lastStartup = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Embedded Kafka ready at {} in {} ms (data in {})",
                bootstrapServers(), lastStartup.toMillis(), directory);
    }

    private Properties serverProperties() {
        Map<String, String> config = new LinkedHashMap<>(singleNodeConfig(brokerPort, controllerPort));
        config.put("log.dirs", directory.resolve("log").toString());
        config.putAll(overrides);
        Properties props = new Properties();
        props.putAll(config);
        return props;
    }

    /**
     * A one-node KRaft cluster (broker and controller) on 127.0.0.1: internal topics with
     * replication factor 1 (transactions time out otherwise), no initial rebalance delay, few
     * internal partitions so first use is quick. The KIP-848 consumer protocol is on by default in
     * the formatted feature levels. Static voters keep the ports out of the formatted metadata.
     * The test harness hands the same settings to a broker container; only log.dirs is missing.
     */
    public static Map<String, String> singleNodeConfig(int brokerPort, int controllerPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("min.insync.replicas", "1");
        config.put("default.replication.factor", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        return config;
    }

    private void formatIfNeeded(Properties props) {
        Path config = directory.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "vfo embedded Kafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        // A formatted directory is kept as it is: formatting again would need its cluster id.
        if (Files.exists(directory.resolve("log").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool$.MODULE$.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()
            }, print);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting KRaft storage in " + directory + " failed ("
                    + status + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** A free loopback port; the kernel hands out ephemeral ports round-robin, so reuse is unlikely. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", root, e);
        }
    }

    /**
     * Where and how to run.
     *
     * @param directory data directory, created if missing; empty for a temporary one deleted on close
     * @param brokerPort client port on 127.0.0.1, 0 for a free one
     * @param controllerPort KRaft controller port on 127.0.0.1, 0 for a free one
     * @param overrides broker properties that win over the single-node defaults
     */
    public record Settings(Optional<Path> directory, int brokerPort, int controllerPort, Map<String, String> overrides) {

        public Settings {
            Objects.requireNonNull(directory, "directory");
            overrides = Map.copyOf(overrides);
            if (brokerPort < 0 || controllerPort < 0 || (brokerPort != 0 && brokerPort == controllerPort)) {
                throw new IllegalArgumentException(
                        "ports must be 0 (free) or distinct positive numbers: " + brokerPort + ", " + controllerPort);
            }
        }

        public static Settings defaults() {
            return new Settings(Optional.empty(), 0, 0, Map.of());
        }

        public Settings withDirectory(Path dir) {
            return new Settings(Optional.of(dir), brokerPort, controllerPort, overrides);
        }

        public Settings withPorts(int broker, int controller) {
            return new Settings(directory, broker, controller, overrides);
        }

        public Settings withOverrides(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(overrides);
            merged.putAll(more);
            return new Settings(directory, brokerPort, controllerPort, merged);
        }
    }
}
