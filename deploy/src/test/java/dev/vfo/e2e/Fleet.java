package dev.vfo.e2e;

import static org.awaitility.Awaitility.await;

import dev.vfo.cli.Vfo;
import dev.vfo.demo.ControlPlaneClient;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.demo.LocalStack;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionFactory;

/**
 * One scenario's world: a broker of its own, a topic namespace of its own, and the vfo processes
 * the test starts (coordinators, agents), each a {@link Child} with its own state directory under
 * the test's temporary directory and its own loopback ports. {@link #close()} kills every child and
 * the broker, whatever state the test left them in.
 */
final class Fleet implements AutoCloseable {
    /** Far above what a healthy step takes on a loaded 2-core machine: a bound, never a timing claim. */
    static final Duration BOUND = Duration.ofSeconds(120);

    final KafkaBroker broker;
    final String namespace;
    final TopicCatalog topics;
    private final Path dir;
    private final Path logs;
    private final LocalStack.Tokens tokens = LocalStack.Tokens.generate();
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final Map<String, Integer> apiPorts = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Kills the children if the test JVM is told to stop (SIGTERM, Ctrl-C) before {@link #close()} runs. */
    private final Thread reaper = new Thread(() -> children.values().forEach(c -> {
        try {
            c.kill();
        } catch (RuntimeException e) {
            // The JVM is going away; a child that cannot be killed is reported by nobody.
        }
    }), "e2e-fleet-reaper");

    private Fleet(KafkaBroker broker, String namespace, Path dir, Path logs) {
        Runtime.getRuntime().addShutdownHook(reaper);
        this.broker = broker;
        this.namespace = namespace;
        this.topics = new TopicCatalog(namespace, TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
        this.dir = dir;
        this.logs = logs;
    }

    /** A dedicated broker with the namespace's topics and a command topic for each host. */
    static Fleet start(String test, Path dir, String... hosts) {
        Path logs = Path.of("target", "e2e-logs", test);
        try {
            Files.createDirectories(logs);
            // One run's logs only: the children append to their files across restarts.
            try (var old = Files.list(logs)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBroker broker = KafkaBroker.dedicated();
        Fleet fleet = new Fleet(broker, "e2e" + UUID.randomUUID().toString().substring(0, 8), dir, logs);
        try {
            List<String> args = new ArrayList<>(List.of("topics", "create", "--bootstrap-servers",
                    broker.bootstrapServers(), "--namespace", fleet.namespace));
            for (String h : hosts) {
                args.add("--host");
                args.add(h);
            }
            Run created = vfo(args);
            if (created.exit() != 0) {
                throw new IllegalStateException("vfo topics create exited " + created.exit() + ": " + created.output());
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    static ConditionFactory waiting() {
        return await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    /** A coordinator ({@code vfo coordinator}) with its REST API on a free loopback port; returns once it is ready. */
    Child coordinator(String instance) {
        return coordinator(instance, Map.of());
    }

    /** A coordinator with extra {@code VFO_*} settings (e.g. a Kafka client property passed through). */
    Child coordinator(String instance, Map<String, String> settings) {
        int port = freePort();
        Map<String, String> env = new HashMap<>(settings);
        env.put("VFO_HTTP_HOST", "127.0.0.1");
        env.put("VFO_HTTP_PORT", Integer.toString(port));
        env.put("VFO_API_TOKENS", "e2e-operator:operator:" + tokens.operator() + ",e2e-viewer:viewer:" + tokens.viewer());
        env.put("VFO_API_CREATE_BURST", "100");
        env.put("VFO_LOG_LEVEL", "INFO");
        String name = "coordinator-" + instance;
        Child c = child(name, env, List.of("coordinator", "--bootstrap-servers", broker.bootstrapServers(),
                "--namespace", namespace, "--partitions", Integer.toString(TopicCatalog.DEFAULT_PARTITIONS),
                "--instance-id", instance));
        apiPorts.put(name, port);
        awaitReady(c);
        return c;
    }

    /** Waits until the coordinator answers /health/ready (in the group, partitions replayed). */
    void awaitReady(Child coordinator) {
        URI ready = base(coordinator).resolve("/health/ready");
        waiting().alias(coordinator.name() + " ready (log: " + coordinator.log() + ")").until(() -> {
            if (!coordinator.isAlive()) {
                throw new AssertionError(coordinator.name() + " exited:\n" + coordinator.output());
            }
            return http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    /**
     * An agent ({@code vfo agent run --backend simulated}) of {@code host} serving {@code devices},
     * with its state directory (and the simulated hardware's state beside it) under the test's
     * directory, so a restart finds both.
     */
    Child agent(String host, List<SimDevice> devices) {
        Map<String, String> env = new HashMap<>();
        env.put("VFO_TOPIC_NAMESPACE", namespace);
        env.put("VFO_DEVICES", devices.stream().map(SimDevice::setting).collect(Collectors.joining(";")));
        env.put("VFO_TRANSFER_HOST", "127.0.0.1");
        env.put("VFO_TRANSFER_PORT", Integer.toString(freePort()));
        env.put("VFO_HEARTBEAT_INTERVAL", "1s");
        env.put("VFO_SHUTDOWN_GRACE_MS", "5000");
        env.put("VFO_LOG_LEVEL", "INFO");
        return child("agent-" + host, env, List.of("agent", "run", "--bootstrap-servers", broker.bootstrapServers(),
                "--host-id", host, "--backend", "simulated", "--state-dir", dir.resolve("agent-" + host).toString()));
    }

    private Child child(String name, Map<String, String> env, List<String> args) {
        if (children.containsKey(name)) {
            throw new IllegalArgumentException(name + " is already part of the fleet");
        }
        Child c = Child.start(name, logs.resolve(name + ".log"), env, args);
        children.put(name, c);
        return c;
    }

    /** The fleet's process of that name (e.g. {@code agent-host-a}, {@code coordinator-c1}). */
    Child children(String name) {
        return Optional.ofNullable(children.get(name)).orElseThrow(() -> new IllegalArgumentException("no " + name));
    }

    ControlPlaneClient api(Child coordinator) {
        return new ControlPlaneClient(base(coordinator), tokens.operator());
    }

    private URI base(Child coordinator) {
        return URI.create("http://127.0.0.1:" + apiPorts.get(coordinator.name()));
    }

    /** Waits until the coordinator's inventory lists every one of {@code ids} as alive. */
    void awaitRegistered(Child coordinator, Collection<String> ids) {
        ControlPlaneClient api = api(coordinator);
        Set<String> wanted = Set.copyOf(ids);
        waiting().alias("devices registered: " + wanted).until(() -> api.devices().stream()
                .map(JsonObject.class::cast).filter(d -> d.getBoolean("alive", false)).map(d -> d.getString("id"))
                .collect(Collectors.toSet()).containsAll(wanted));
    }

    /** Waits until the migration is no longer ACTIVE and returns its final view. */
    JsonObject awaitEnded(Child coordinator, String id) {
        ControlPlaneClient api = api(coordinator);
        return waiting().alias("migration " + id + " ended").until(() -> api.migration(id),
                m -> !"ACTIVE".equals(m.getString("status")));
    }

    /** Every committed record of {@code topic}, from its start to its end as of now, partition after partition. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        Map<String, Object> c = broker.clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " made no way to its end in " + BOUND);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The commands sent to {@code host} so far (records that do not decode are skipped). */
    List<AgentCommand> commandsTo(String host) {
        return records(topics.commandsTopic(new HostId(host))).stream().map(r -> LogCodec.decodeAgentCommand(r.value()))
                .filter(d -> d.kind() == Decoded.Kind.OK).map(Decoded::orElseThrow).toList();
    }

    /**
     * The coordinator instance whose consumer owns {@code vm}'s partition of the device events, once
     * the group has {@code members} members that all have partitions (the rebalance is over).
     */
    String ownerOf(String vm, int members) {
        String group = namespace + "-coordinator";
        int partition = topics.partitionOf(new VmId(vm));
        String events = topics.deviceEvents().name();
        return waiting().alias(members + " coordinators share the partitions").until(() -> {
            try (Admin admin = broker.admin()) {
                Collection<MemberDescription> all = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group).members();
                if (all.size() != members || all.stream().anyMatch(m -> m.assignment().topicPartitions().isEmpty())) {
                    return Optional.<String>empty();
                }
                return all.stream().filter(m -> m.assignment().topicPartitions()
                        .contains(new TopicPartition(events, partition)))
                        .map(m -> m.clientId().substring(group.length() + 1)).findFirst();
            }
        }, Optional::isPresent).orElseThrow();
    }

    /** The agent events on the device-events topic so far (records that do not decode are skipped). */
    List<AgentEvent> deviceEvents() {
        return records(topics.deviceEvents().name()).stream().map(r -> LogCodec.decodeAgentEvent(r.value()))
                .filter(d -> d.kind() == Decoded.Kind.OK).map(Decoded::orElseThrow).toList();
    }

    /** {@code vfo audit verify --json} over this fleet's live topics, in this JVM. */
    Audit audit() {
        Run o = vfo(List.of("audit", "verify", "--bootstrap-servers", broker.bootstrapServers(),
                "--namespace", namespace, "--json"));
        int brace = o.output().indexOf('{');
        JsonObject report = brace < 0 ? new JsonObject() : new JsonObject(o.output().substring(brace));
        return new Audit(o.exit(), report, o.output());
    }

    /** What the audit said: its exit code and its JSON report. */
    record Audit(int exit, JsonObject report, String output) {
        /** migration id to outcome, for every migration the audit saw. */
        Map<String, String> outcomes() {
            Map<String, String> out = new LinkedHashMap<>();
            report.getJsonArray("migrations", new JsonArray()).stream().map(JsonObject.class::cast)
                    .forEach(m -> out.put(m.getString("migration"), m.getString("outcome")));
            return out;
        }
    }

    /** A vfo command run in this JVM: its exit code and everything it printed. */
    private record Run(int exit, String output) {}

    private static Run vfo(List<String> args) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        var cl = Vfo.commandLine();
        cl.setOut(out);
        cl.setErr(out);
        int exit = cl.execute(args.toArray(String[]::new));
        out.flush();
        return new Run(exit, text.toString());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * Writes every record of the namespace's topics, decoded where it decodes, to {@code topics.txt}
     * beside the processes' logs: the post-mortem of a failed scenario needs what the log said.
     */
    void dumpTopics() {
        List<String> names = new ArrayList<>(List.of(topics.requests().name(), topics.coordinatorLog().name(),
                topics.deviceEvents().name(), topics.deadLetters().name()));
        children.keySet().stream().filter(n -> n.startsWith("agent-"))
                .forEach(n -> names.add(topics.commandsTopic(new HostId(n.substring("agent-".length())))));
        StringBuilder out = new StringBuilder();
        for (String topic : names) {
            for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
                out.append(r.topic()).append('-').append(r.partition()).append('@').append(r.offset()).append(' ')
                        .append(java.time.Instant.ofEpochMilli(r.timestamp())).append(' ')
                        .append(describe(r)).append('\n');
            }
        }
        try {
            Files.writeString(logs.resolve("topics.txt"), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String describe(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (topic.equals(topics.deadLetters().name())) {
            return DeadLetters.read(r).map(Object::toString).orElse("(not a dead letter)");
        }
        Decoded<?> d = topic.equals(topics.coordinatorLog().name()) ? LogCodec.decodeLogEntry(r.value())
                : topic.equals(topics.deviceEvents().name()) ? LogCodec.decodeAgentEvent(r.value())
                : topic.equals(topics.requests().name()) ? LogCodec.decodeRequest(r.value())
                : LogCodec.decodeAgentCommand(r.value());
        return d.kind() == Decoded.Kind.OK ? d.orElseThrow().toString() : d.toString();
    }

    /**
     * Dumps the topics for the post-mortem, then kills every child still running (frozen ones too:
     * SIGKILL needs no SIGCONT), then the broker.
     */
    @Override
    public void close() {
        try {
            dumpTopics();
        } catch (RuntimeException e) {
            System.err.println("[e2e] the topics could not be dumped: " + e);
        }
        children.values().forEach(c -> {
            try {
                c.kill();
            } catch (RuntimeException e) {
                System.err.println("[e2e] " + e.getMessage());
            }
        });
        Runtime.getRuntime().removeShutdownHook(reaper);
        broker.close();
    }
}
