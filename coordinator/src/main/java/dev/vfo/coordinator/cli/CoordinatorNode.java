package dev.vfo.coordinator.cli;

import dev.vfo.coordinator.api.CoordinatorMetrics;
import dev.vfo.coordinator.api.Readiness;
import dev.vfo.coordinator.config.CoordinatorConfig;
import dev.vfo.coordinator.http.ControlPlaneServer;
import dev.vfo.coordinator.loop.RejectReason;
import dev.vfo.coordinator.loop.SagaLoop;
import dev.vfo.coordinator.view.LogDesk;
import dev.vfo.coordinator.view.MigrationLedger;
import dev.vfo.core.saga.Phase;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running coordinator: the exactly-once loop on its own thread, the read model on another, and
 * the REST API on Vert.x in front of them. {@link #start} wires them from the typed configuration;
 * {@link #close} stops them in reverse order within a timeout.
 */
public final class CoordinatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorNode.class);

    private final SagaLoop loop;
    private final MigrationLedger ledger;
    private final Producer<byte[], byte[]> requests;
    private final Admin admin;
    private final Vertx vertx;
    private final ControlPlaneServer server;
    private final Thread loopThread;
    private final Thread ledgerThread;

    private CoordinatorNode(SagaLoop loop, MigrationLedger ledger, Producer<byte[], byte[]> requests, Admin admin,
            Vertx vertx, ControlPlaneServer server) {
        this.loop = loop;
        this.ledger = ledger;
        this.requests = requests;
        this.admin = admin;
        this.vertx = vertx;
        this.server = server;
        this.loopThread = new Thread(loop, "vfo-saga-loop");
        this.ledgerThread = new Thread(ledger, "vfo-read-model");
    }

    /** Creates the cluster topics if missing, starts the loop, the read model and the API. */
    public static CoordinatorNode start(CoordinatorConfig config, TopicCatalog topics) {
        Map<String, Object> client = new HashMap<>(config.kafka().clientProperties());
        client.putIfAbsent("bootstrap.servers", config.kafka().bootstrapServers());
        Admin admin = Admin.create(client);
        try {
            TopicCreation.ensure(admin, topics.clusterTopics(), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CoordinatorMetrics metrics = new CoordinatorMetrics(registry,
                Arrays.stream(Phase.values()).map(Phase::name).toList(), RejectReason.tags());
        String group = topics.coordinatorLog().name().replace(".coordinator-log", "") + "-coordinator";
        SagaLoop loop = new SagaLoop(groupConsumer(client, group, config.kafka().instanceId()),
                transactionalProducer(client, group + "-" + config.kafka().instanceId()), () -> reader(client),
                admin, topics, Clock.systemUTC(), metrics);
        MigrationLedger ledger = new MigrationLedger(reader(client), topics.coordinatorLog().name(), Clock.systemUTC());
        Producer<byte[], byte[]> requests = idempotentProducer(client);
        LogDesk desk = new LogDesk(ledger, requests, topics, Clock.systemUTC(),
                () -> readiness(loop, ledger), Duration.ofSeconds(30));
        Vertx vertx = CoordinatorMetrics.vertxReportingTo(registry);
        ControlPlaneServer server = new ControlPlaneServer(config, desk, registry, System::nanoTime);
        CoordinatorNode node = new CoordinatorNode(loop, ledger, requests, admin, vertx, server);
        node.ledgerThread.start();
        node.loopThread.start();
        try {
            vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException("the API did not start: " + e, e);
        }
        LOG.info("coordinator {} serves on port {} over {}", config.kafka().instanceId(), server.actualPort(),
                config.kafka().bootstrapServers());
        return node;
    }

    private static Readiness readiness(SagaLoop loop, MigrationLedger ledger) {
        boolean rebuilt = loop.rebuilt() && ledger.caughtUp();
        String detail = loop.fatal().map(t -> "the loop stopped: " + t)
                .orElse(!loop.assigned() ? "waiting for partitions"
                        : !loop.rebuilt() ? "rebuilding state from the log"
                        : !ledger.caughtUp() ? "the read model is catching up" : "ready");
        return new Readiness(rebuilt, loop.assigned(), detail);
    }

    public int port() {
        return server.actualPort();
    }

    /** The loop's fatal error, if it stopped on one (the process should then exit non-zero). */
    public Optional<Throwable> fatal() {
        return loop.fatal();
    }

    /** Blocks until the loop thread ends. */
    public void awaitLoop() throws InterruptedException {
        loopThread.join();
    }

    @Override
    public void close() {
        try {
            if (!loop.stop(Duration.ofSeconds(15))) {
                LOG.warn("the loop did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.stop();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing Vert.x: {}", e.toString());
        }
        requests.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    private static Consumer<byte[], byte[]> groupConsumer(Map<String, Object> client, String group, String instance) {
        Map<String, Object> c = new HashMap<>();
        // Classic protocol + range: partition p of every subscribed topic (same partition count) goes to
        // the same member, which co-partitioning needs; the classic session timeout can be short
        // (KIP-848's broker minimum is 45 s, too slow a failover).
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        c.putAll(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // Names the member in the group (its member id starts with it), so operators see who owns what.
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + instance);
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Consumer<byte[], byte[]> reader(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Producer<byte[], byte[]> transactionalProducer(Map<String, Object> client, String id) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        // Short, so a dead instance's open transaction is aborted soon and its partitions unblock.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Producer<byte[], byte[]> idempotentProducer(Map<String, Object> client) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
