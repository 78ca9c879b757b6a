package dev.vfo.demo;

import dev.vfo.coordinator.cli.CoordinatorNode;
import dev.vfo.coordinator.config.CoordinatorConfig;
import dev.vfo.core.protocol.HostId;
import dev.vfo.schemas.broker.EmbeddedKafka;
import dev.vfo.schemas.topic.TopicCatalog;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One machine's whole product: a single-node KRaft broker inside this JVM, the catalog's topics on
 * it, a coordinator node (its exactly-once loop, read model and REST API on 127.0.0.1) and the
 * agents of the fleet's simulated hosts, each reaching the broker through ordinary Kafka clients,
 * as deployed processes would.
 *
 * <p>Two bearer tokens are generated per stack (an operator and a viewer), never written to disk:
 * the API is loopback-only, and a fresh stack must not accept an old stack's token.
 */
public final class LocalStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final TopicCatalog topics;
    private final CoordinatorNode coordinator;
    private final Tokens tokens;
    private final DemoFleet fleet;
    private final List<HostAgents.Running> agents;
    private final Duration startup;

    private LocalStack(EmbeddedKafka kafka, TopicCatalog topics, CoordinatorNode coordinator, Tokens tokens,
            DemoFleet fleet, List<HostAgents.Running> agents, Duration startup) {
        this.kafka = kafka;
        this.topics = topics;
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.fleet = fleet;
        this.agents = List.copyOf(agents);
        this.startup = startup;
    }

    /** The bearer tokens this stack's API accepts. */
    public record Tokens(String operator, String viewer) {
        public Tokens {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(viewer, "viewer");
        }

        /** Two fresh random tokens (32 bytes each, URL-safe base64: the token alphabet allows it). */
        public static Tokens generate() {
            SecureRandom random = new SecureRandom();
            return new Tokens(token(random), token(random));
        }

        private static String token(SecureRandom random) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        /** The {@code VFO_API_TOKENS} form the coordinator reads. */
        String setting() {
            return "local-operator:operator:" + operator + ",local-viewer:viewer:" + viewer;
        }
    }

    /**
     * Starts the broker (data in {@code dataDirectory}, or a temporary directory deleted on close),
     * then the coordinator, whose start creates the cluster topics ({@code httpPort} 0 picks a free
     * port), then an agent per host of {@code fleet} if {@code agents} is present.
     */
    public static LocalStack start(Optional<Path> dataDirectory, int httpPort, DemoFleet fleet,
            Optional<HostAgents> agents) {
        Instant began = Instant.now();
        EmbeddedKafka.Settings settings = dataDirectory.map(EmbeddedKafka.Settings.defaults()::withDirectory)
                .orElse(EmbeddedKafka.Settings.defaults());
        EmbeddedKafka kafka = EmbeddedKafka.launch(settings);
        try {
            TopicCatalog topics = new TopicCatalog(TopicCatalog.DEFAULT_NAMESPACE, TopicCatalog.DEFAULT_PARTITIONS,
                    Optional.of((short) 1));
            Tokens tokens = Tokens.generate();
            Map<String, String> env = new HashMap<>();
            env.put("VFO_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("VFO_HTTP_HOST", "127.0.0.1");
            env.put("VFO_HTTP_PORT", Integer.toString(httpPort));
            env.put("VFO_API_TOKENS", tokens.setting());
            env.put("VFO_INSTANCE_ID", "local-coordinator");
            CoordinatorNode coordinator = CoordinatorNode.start(CoordinatorConfig.from(env), topics);
            List<HostAgents.Running> running = new ArrayList<>();
            try {
                for (HostId host : List.of(fleet.source(), fleet.destination())) {
                    if (agents.isPresent()) {
                        running.add(agents.get().start(kafka.bootstrapServers(), TopicCatalog.DEFAULT_NAMESPACE,
                                topics.vmPartitions(), host, fleet.devicesOf(host)));
                    }
                }
            } catch (RuntimeException | Error e) {
                running.forEach(HostAgents.Running::close);
                coordinator.close();
                throw e;
            }
            return new LocalStack(kafka, topics, coordinator, tokens, fleet, running,
                    Duration.between(began, Instant.now()));
        } catch (RuntimeException | Error e) {
            kafka.close();
            throw e;
        }
    }

    public DemoFleet fleet() {
        return fleet;
    }

    /** Whether agents serve the fleet's hosts (false in a build without the agent loop). */
    public boolean hasAgents() {
        return !agents.isEmpty();
    }

    /**
     * Waits until the API's inventory lists every device of the fleet as alive: what "ready" means
     * to a user of this stack. False if that did not happen within {@code bound}.
     */
    public boolean awaitRegistered(Duration bound) throws InterruptedException {
        ControlPlaneClient api = new ControlPlaneClient(api(), tokens.viewer());
        Set<String> wanted = Set.copyOf(fleet.deviceIds());
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> alive = api.devices().stream().map(JsonObject.class::cast)
                    .filter(d -> d.getBoolean("alive", false)).map(d -> d.getString("id")).collect(Collectors.toSet());
            if (alive.containsAll(wanted)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** The REST API's base address, e.g. {@code http://127.0.0.1:41234}. */
    public URI api() {
        return URI.create("http://127.0.0.1:" + coordinator.port());
    }

    public Tokens tokens() {
        return tokens;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public TopicCatalog topics() {
        return topics;
    }

    public Path dataDirectory() {
        return kafka.directory();
    }

    /** From the broker's launch to the API answering. */
    public Duration startup() {
        return startup;
    }

    /** The coordinator's fatal error, if its loop stopped on one. */
    public Optional<Throwable> fatal() {
        return coordinator.fatal();
    }

    @Override
    public void close() {
        try {
            agents.forEach(HostAgents.Running::close);
            coordinator.close();
        } finally {
            kafka.close();
        }
    }
}
