package dev.vfo.schemas.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.vfo.schemas.broker.EmbeddedKafka;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.LogMessageWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The container mode: a locally built broker image (deploy/docker/kafka) run by Testcontainers on
 * the host network, so the broker listens on this machine's loopback with ports we chose.
 *
 * <p>Only this class touches Testcontainers, so modules whose test classpath lacks it still load
 * the rest of the harness and can run embedded.
 */
final class ContainerBroker implements BrokerProcess {

    /** Environment Testcontainers 2.0.5 reads only from the process environment (not from properties). */
    static final Map<String, String> REQUIRED_ENVIRONMENT = Map.of(
            // Ryuk's image would be pulled, and there is no registry.
            "TESTCONTAINERS_RYUK_DISABLED", "true",
            // The machine has /.dockerenv; otherwise Testcontainers looks for a gateway it cannot find.
            "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
            "TESTCONTAINERS_CHECKS_DISABLE", "true");

    /** Label that lets a CI script remove exactly this harness's containers. */
    static final String LABEL = "dev.vfo.kafka";

    private static final String READY = ".*Kafka Server started.*";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final GenericContainer<?> container;
    private final String image;
    private final int brokerPort;
    private int starts;
    private boolean running;
    private long lastStartupMillis;

    private ContainerBroker(String image, int brokerPort, int controllerPort) {
        this.image = image;
        this.brokerPort = brokerPort;
        this.container = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("host")
                .withEnv("KAFKA_BROKER_PORT", Integer.toString(brokerPort))
                .withEnv("KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort))
                .withEnv(brokerEnvironment(brokerPort, controllerPort))
                // No registry here: a missing image must fail at once, never start a pull.
                .withImagePullPolicy(name -> false)
                .withLabel(LABEL, System.getenv().getOrDefault("VFO_CI_RUN", "test"))
                .waitingFor(readyAfter(1));
    }

    /**
     * The broker's settings as {@code KAFKA_SOME_NAME} variables, which both vfo's image and the
     * official {@code apache/kafka} image turn into properties: one configuration for the embedded
     * and the container mode, and a machine with a registry can set
     * {@code vfo.kafka.image=apache/kafka:<version>}.
     */
    static Map<String, String> brokerEnvironment(int brokerPort, int controllerPort) {
        Map<String, String> properties = EmbeddedKafka.singleNodeConfig(brokerPort, controllerPort);
        Map<String, String> environment = new LinkedHashMap<>();
        properties.forEach((key, value) ->
                environment.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return environment;
    }

    /**
     * Why a container broker cannot run here, or empty if it can: Docker answers, the environment
     * Testcontainers needs is set, and the image exists locally.
     */
    static Optional<String> unavailableBecause(String image) {
        List<String> missing = REQUIRED_ENVIRONMENT.entrySet().stream()
                .filter(e -> !e.getValue().equalsIgnoreCase(System.getenv().getOrDefault(e.getKey(), "")))
                .map(e -> e.getKey() + "=" + e.getValue())
                .sorted()
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("the test JVM's environment lacks " + String.join(" ", missing)
                    + " (the root pom sets them for surefire/failsafe)");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("no Docker engine answers (DOCKER_HOST or /var/run/docker.sock)");
        }
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            return Optional.of("image " + image + " is not in the local Docker engine: build it with"
                    + " deploy/docker/kafka/build-image.sh (or set vfo.kafka.image / VFO_KAFKA_IMAGE)");
        }
        return Optional.empty();
    }

    static ContainerBroker launch(String image) {
        ContainerBroker broker = new ContainerBroker(image, EmbeddedKafka.freePort(), EmbeddedKafka.freePort());
        broker.start();
        return broker;
    }

    @Override
    public Kind kind() {
        return Kind.CONTAINER;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    @Override
    public String describe() {
        return "container " + image + " (" + (container.getContainerId() == null ? "not created" : container.getContainerId().substring(0, 12))
                + "), started in " + lastStartupMillis + " ms";
    }

    /**
     * The first start creates the container; later starts restart the same container, so its data
     * (in the container's own file system) and its environment-given ports stay the same.
     */
    @Override
    public void start() {
        if (running) {
            return;
        }
        long begin = System.nanoTime();
        if (starts == 0) {
            container.start();
        } else {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            // The log keeps every earlier start's line: wait for one more than before.
            readyAfter(starts + 1).waitUntilReady(container);
        }
        starts++;
        running = true;
        lastStartupMillis = (System.nanoTime() - begin) / 1_000_000;
    }

    /** docker stop: SIGTERM, so Kafka shuts down cleanly as on a real host. */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        running = false;
    }

    @Override
    public void close() {
        running = false;
        container.stop();
    }

    private static LogMessageWaitStrategy readyAfter(int times) {
        LogMessageWaitStrategy ready = new LogMessageWaitStrategy().withRegEx(READY).withTimes(times);
        ready.withStartupTimeout(STARTUP_TIMEOUT);
        return ready;
    }
}
