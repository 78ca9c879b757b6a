package dev.vfo.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.coordinator.cli.CoordinatorNode;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.Barrier;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.SagaSnapshot;
import dev.vfo.schemas.testkit.KafkaBroker;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators in one group; the one owning the VM runs in a child JVM and is killed while the
 * quiesce barrier is pending. The other takes the partition over and completes the migration, and
 * the log shows that no device transition was applied twice.
 */
class FailoverIT {

    @Test
    void aSecondInstanceCompletesTheMigrationOfAKilledOne() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String ns = "fo" + UUID.randomUUID().toString().substring(0, 8);
        TopicCatalog topics = new TopicCatalog(ns, 4, Optional.empty());
        try (Admin admin = broker.admin()) {
            TopicCreation.ensure(admin, topics.clusterTopics(), Duration.ofSeconds(60));
        }
        // Range assignment orders members by id, which starts with the instance id: "a" gets 0 and 1.
        VmId vm = new VmId("vm-failover-0");
        for (int i = 1; topics.partitionOf(vm) >= 2; i++) {
            vm = new VmId("vm-failover-" + i);
        }
        Path out = Files.createTempFile("coordinator-a", ".log");
        Process a = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CoordinatorChild.class.getName(),
                broker.bootstrapServers(), ns, "4", "a").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        CoordinatorNode b = null;
        try (FaithfulAgents agents = CoordinatorIT.agentsOn(broker, topics, vm, "").holdQuiesce(true).start()) {
            await().atMost(Duration.ofMinutes(2)).until(() -> port(out).isPresent() || !a.isAlive());
            assertThat(a.isAlive()).as("instance a started: %s", Files.readString(out)).isTrue();
            b = CoordinatorNode.start(CoordinatorChild.settings(broker.bootstrapServers(), "b"), topics);
            Api api = new Api(b.port());
            Api apiOfA = new Api(port(out).orElseThrow());
            await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/health/ready", null).statusCode() == 200
                    && apiOfA.get("/health/ready", null).statusCode() == 200);
            await().atMost(Duration.ofMinutes(1)).until(() -> members(broker, ns).size() == 2);
            for (MemberDescription m : members(broker, ns)) {
                Set<TopicPartition> owned = m.assignment().topicPartitions();
                // Co-partitioned: partition p of the events and of the requests go to the same instance.
                assertThat(numbers(owned, topics.deviceEvents().name())).isEqualTo(numbers(owned, topics.requests().name()));
                if (m.clientId().endsWith("-a")) {
                    assertThat(numbers(owned, topics.deviceEvents().name())).contains(topics.partitionOf(vm));
                }
            }
            String vmId = vm.value();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                HttpResponse<String> r = api.get("/v1/vms/" + vmId, Api.VIEWER);
                return r.statusCode() == 200 && new JsonObject(r.body()).getJsonArray("devices").size() == 8;
            });

            // Submitted to b; a owns the VM and runs the saga.
            HttpResponse<String> created = api.post("/v1/migrations", Api.OPERATOR,
                    Api.startBody(vmId, CoordinatorIT.pairs("", 4), 60_000));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = new JsonObject(created.body()).getString("id");

            await().atMost(Duration.ofMinutes(2)).until(() -> quiesceCommands(broker, topics) == 4);
            List<CoordinatorLogEntry> atKill = log(broker, topics);
            assertThat(atKill).anyMatch(e -> e.event() instanceof SagaEvent.PhaseEntered p && p.phase() == Phase.QUIESCE);
            assertThat(atKill).noneMatch(e -> e.event() instanceof SagaEvent.BarrierReached r
                    && r.barrier() == Barrier.SOURCE_QUIESCED);
            a.destroyForcibly().waitFor();
            agents.holdQuiesce(false);

            await().atMost(Duration.ofMinutes(3)).until(() -> new JsonObject(api.get("/v1/migrations/" + id,
                    Api.VIEWER).body()).getString("status"), "SUCCEEDED"::equals);

            List<CoordinatorLogEntry> log = log(broker, topics);
            // b took over under a newer epoch: the commands after the kill carry it.
            List<Long> epochs = log.stream().filter(e -> e.event() instanceof SagaEvent.CommandIssued)
                    .map(e -> ((SagaEvent.CommandIssued) e.event()).command().coordinatorEpoch()).toList();
            assertThat(epochs.get(epochs.size() - 1)).isGreaterThan(epochs.get(0));
            assertThat(epochs).isSorted();
            // b rebuilt from the snapshot a wrote before the migration plus the log after it (the chain
            // check below proves b's head was right); the migration's end wrote the next snapshot.
            VmId theVm = vm;
            List<SagaSnapshot> snapshots = LogTail.records(broker.clientConfig(), topics.snapshots().name()).stream()
                    .map(r -> LogCodec.decodeSnapshot(r.value()).orElseThrow()).filter(x -> x.vm().equals(theVm))
                    .toList();
            assertThat(snapshots).hasSizeGreaterThanOrEqualTo(2);
            assertThat(snapshots.get(snapshots.size() - 1).state().recentlyFinished())
                    .extracting(m -> m.value()).contains(id);
            assertThat(HashChain.verify(LogTail.records(broker.clientConfig(), topics.coordinatorLog().name())
                    .stream().map(r -> r.value()).toList()).breaks()).isEmpty();
            // No device transition twice: each arc a device took is in the log once, answering one command.
            List<AgentEvent.DeviceStateChanged> arcs = log.stream()
                    .filter(e -> e.event() instanceof SagaEvent.DeviceReported r
                            && r.event() instanceof AgentEvent.DeviceStateChanged c && c.from() != c.to())
                    .map(e -> (AgentEvent.DeviceStateChanged) ((SagaEvent.DeviceReported) e.event()).event())
                    .toList();
            assertThat(arcs.stream().map(c -> c.device() + " " + c.from() + ">" + c.to()).toList())
                    .doesNotHaveDuplicates();
            assertThat(arcs.stream().map(c -> c.answers().orElseThrow()).toList()).doesNotHaveDuplicates();
            assertThat(agents.arcs.stream().map(x -> x.device() + " " + x.from() + ">" + x.to()).toList())
                    .doesNotHaveDuplicates()
                    .contains("src-0 PRE_COPY_P2P>STOP_COPY", "src-2 RUNNING_P2P>STOP", "dst-3 RUNNING_P2P>RUNNING");
        } finally {
            a.destroyForcibly();
            if (b != null) {
                b.close();
            }
        }
    }

    private static Optional<Integer> port(Path out) throws IOException {
        return Files.readAllLines(out).stream().filter(l -> l.startsWith("PORT=")).findFirst()
                .map(l -> Integer.parseInt(l.substring(5).strip()));
    }

    private static List<CoordinatorLogEntry> log(KafkaBroker broker, TopicCatalog topics) {
        return LogTail.entries(broker.clientConfig(), topics.coordinatorLog().name());
    }

    private static long quiesceCommands(KafkaBroker broker, TopicCatalog topics) {
        return log(broker, topics).stream().filter(e -> e.event() instanceof SagaEvent.CommandIssued c
                && FaithfulAgents.isQuiesce(c.command())).count();
    }

    private static List<MemberDescription> members(KafkaBroker broker, String ns) throws Exception {
        try (Admin admin = broker.admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(ns + "-coordinator")).all().get()
                    .get(ns + "-coordinator");
            return List.copyOf(d.members());
        }
    }

    private static Set<Integer> numbers(Set<TopicPartition> tps, String topic) {
        return tps.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
