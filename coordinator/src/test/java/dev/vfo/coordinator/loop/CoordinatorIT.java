package dev.vfo.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.coordinator.cli.CoordinatorNode;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.deadletter.DeadLetter;
import dev.vfo.schemas.deadletter.DeadLetters;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One coordinator over a real broker, driven through its REST API with faithful test agents. */
class CoordinatorIT {
    static final long P2P = MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit();
    static final long P2P_PRE_COPY = P2P | MigrationFlag.PRE_COPY.bit();
    static final HostId SRC = new HostId("h-src");
    static final HostId DST = new HostId("h-dst");

    static KafkaBroker broker;
    static TopicCatalog topics;
    static CoordinatorNode node;
    static Api api;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.shared();
        topics = new TopicCatalog("it" + UUID.randomUUID().toString().substring(0, 8), 4, Optional.empty());
        node = CoordinatorNode.start(CoordinatorChild.settings(broker.bootstrapServers(), "solo"), topics);
        api = new Api(node.port());
        await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/health/ready", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Four pairs: two sources with PRE_COPY, two without; every device with P2P. */
    static FaithfulAgents agents(VmId vm, String prefix) {
        return agentsOn(broker, topics, vm, prefix);
    }

    static FaithfulAgents agentsOn(KafkaBroker broker, TopicCatalog topics, VmId vm, String prefix) {
        Map<DeviceId, HostId> hosts = new LinkedHashMap<>();
        Map<DeviceId, Long> flags = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            long f = i < 2 ? P2P_PRE_COPY : P2P;
            hosts.put(new DeviceId(prefix + "src-" + i), SRC);
            flags.put(new DeviceId(prefix + "src-" + i), f);
            hosts.put(new DeviceId(prefix + "dst-" + i), DST);
            flags.put(new DeviceId(prefix + "dst-" + i), f);
        }
        return new FaithfulAgents(broker.clientConfig(), topics, vm, hosts, flags);
    }

    static Map<String, String> pairs(String prefix, int n) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            p.put(prefix + "src-" + i, prefix + "dst-" + i);
        }
        return p;
    }

    static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    static void awaitDevices(String vm, int n) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            HttpResponse<String> r = api.get("/v1/vms/" + vm, Api.VIEWER);
            return r.statusCode() == 200 && json(r).getJsonArray("devices").size() == n;
        });
    }

    @Test
    void fourDevicesMigrateThroughTheApiDespiteGarbageAndAnIntruder() throws Exception {
        VmId vm = new VmId("vm-four");
        try (FaithfulAgents agents = agents(vm, "").start();
                KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            awaitDevices(vm.value(), 8);
            // Garbage on the agents' topic, and an agent claiming a device another agent registered.
            raw.send(new ProducerRecord<>(topics.deviceEvents().name(), TopicCatalog.key(vm),
                    "not an avro record".getBytes(StandardCharsets.UTF_8))).get();
            raw.send(new ProducerRecord<>(topics.deviceEvents().name(), TopicCatalog.key(vm), LogCodec.encode(
                    new AgentEvent.DeviceStateChanged(new HostId("h-intruder"), new AgentId("agent-intruder"), vm,
                            new DeviceId("src-0"), 1_000, Instant.now(), Optional.empty(), MigrationState.RUNNING,
                            MigrationState.ERROR, Instant.now(), 0, Optional.empty())))).get();

            HttpResponse<String> created = api.post("/v1/migrations", Api.OPERATOR,
                    Api.startBody(vm.value(), pairs("", 4), 30_000));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = json(created).getString("id");
            var stream = api.events(id);

            await().atMost(Duration.ofMinutes(3)).until(
                    () -> json(api.get("/v1/migrations/" + id, Api.VIEWER)).getString("status"), "SUCCEEDED"::equals);
            JsonObject done = json(api.get("/v1/migrations/" + id, Api.VIEWER));
            assertThat(done.getJsonArray("devices")).allSatisfy(d -> {
                assertThat(((JsonObject) d).getString("destinationState")).isEqualTo("RUNNING");
                assertThat(((JsonObject) d).getString("sourceState")).isEqualTo("RUNNING");
            });

            String sse = stream.get(60, TimeUnit.SECONDS).body();
            for (String phase : List.of("PREPARE_DESTINATION", "PRE_COPY", "QUIESCE", "STOP_COPY", "COMMIT",
                    "RESUME_P2P", "RESUME", "CLEANUP_SOURCE")) {
                assertThat(sse).contains("\"phase\":\"" + phase + "\"");
            }
            assertThat(sse).contains("SOURCE_QUIESCED").contains("COMMITTED").contains("MIGRATION_COMPLETED");
            assertThat(sse.indexOf("\"phase\":\"QUIESCE\"")).isLessThan(sse.indexOf("\"phase\":\"STOP_COPY\""));

            // The garbage is a dead letter with its bytes; the intruder is recorded, counted, not applied.
            await().atMost(Duration.ofMinutes(1)).until(() -> LogTail.records(broker.clientConfig(),
                    topics.deadLetters().name()).stream().map(DeadLetters::read).flatMap(Optional::stream)
                    .map(DeadLetter::topic).anyMatch(topics.deviceEvents().name()::equals));
            List<CoordinatorLogEntry> log = LogTail.entries(broker.clientConfig(), topics.coordinatorLog().name());
            assertThat(log).filteredOn(e -> e.event() instanceof SagaEvent.InputIgnored i
                    && i.reason().contains("not by agent-intruder")).hasSize(1);
            assertThat(log).noneMatch(e -> e.event() instanceof SagaEvent.DeviceReported r
                    && r.event() instanceof AgentEvent.DeviceStateChanged c && c.to() == MigrationState.ERROR
                    && !c.agent().value().equals("agent-intruder"));
            String metrics = api.get("/metrics", Api.VIEWER).body();
            assertThat(metrics.lines().filter(l -> l.startsWith("vfo_events_rejected_total{")
                    && l.contains("reason=\"foreign_agent\"")).findFirst().orElseThrow())
                    .doesNotEndWith(" 0.0");
            assertThat(agents.arcs).doesNotHaveDuplicates();
        }
    }

    @Test
    void theApiRefusesWhatItMust() throws Exception {
        assertThat(api.get("/v1/migrations", null).statusCode()).isEqualTo(401);
        assertThat(api.post("/v1/migrations", Api.VIEWER, Api.startBody("vm-x", pairs("x", 1), 5000)).statusCode())
                .isEqualTo(403);
        assertThat(api.post("/v1/migrations", Api.OPERATOR, "{\"devices\": []}").statusCode()).isEqualTo(400);
        assertThat(api.get("/v1/migrations/m-nobody", Api.VIEWER).statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = api.post("/v1/migrations", Api.OPERATOR,
                Api.startBody("vm-x", pairs("unknown-", 1), 5000));
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("unknown");

        VmId vm = new VmId("vm-busy");
        try (FaithfulAgents agents = agents(vm, "b").holdQuiesce(true).start()) {
            awaitDevices(vm.value(), 8);
            HttpResponse<String> first = api.post("/v1/migrations", Api.OPERATOR,
                    Api.startBody(vm.value(), pairs("b", 4), 2_000));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            String id = json(first).getString("id");
            HttpResponse<String> second = api.post("/v1/migrations", Api.OPERATOR,
                    Api.startBody(vm.value(), pairs("b", 4), 2_000));
            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);

            assertThat(api.post("/v1/migrations/" + id + "/cancel", Api.OPERATOR, "{}").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(2)).until(
                    () -> json(api.get("/v1/migrations/" + id, Api.VIEWER)).getString("status"), "ROLLED_BACK"::equals);
            assertThat(api.post("/v1/migrations/" + id + "/cancel", Api.OPERATOR, "{}").statusCode()).isEqualTo(409);
        }
    }
}
