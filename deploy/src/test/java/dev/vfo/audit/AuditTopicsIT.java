package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogArchive;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit over live topics of a real broker: logs of simulator runs produced the way agents and
 * the coordinator produce them, verified in place, exported to an archive and verified again;
 * then a forged event is appended and the live audit fails naming its partition and offset.
 */
class AuditTopicsIT {

    @TempDir
    Path dir;

    @Test
    void liveTopicsVerifyExportAndCatchAForgery() throws Exception {
        LiveTopics topics = LiveTopics.create("audit");
        String ns = topics.namespace();
        TopicCatalog catalog = topics.catalog();
        Map<String, Object> config = topics.producerConfig();
        List<SimLogs.Vm> vms = new ArrayList<>();
        for (long seed = 300; seed < 320; seed++) {
            vms.add(SimLogs.of(seed));
        }
        List<LoggedRecord> records = SimLogs.records(vms);
        topics.write(records);
        try (KafkaProducer<byte[], byte[]> producer = topics.producer()) {
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(catalog.deadLetters().name(), new byte[] {1}, new byte[] {(byte) i}))
                        .get();
            }
        }
        String bootstrap = topics.broker().bootstrapServers();

        AuditRun live = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns);
        assertThat(live.exitCode()).as(live.out() + live.err()).isZero();
        assertThat(live.out()).contains("migrations: " + vms.size()).contains("dead letters: 2")
                .contains("verdict: OK, every rule holds").contains(records.size() + 2 + " records");

        AuditRun one = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns, "--vm",
                vms.get(5).vm().value(), "--json");
        assertThat(one.exitCode()).isZero();
        JsonNode doc = new ObjectMapper().readTree(one.out());
        assertThat(doc.get("migrations")).hasSize(1);
        assertThat(doc.get("migrations").get(0).get("vm").asText()).isEqualTo(vms.get(5).vm().value());

        Path file = dir.resolve("log.avro");
        AuditRun export = AuditRun.of("audit", "export", "--bootstrap-servers", bootstrap, "--namespace", ns, "--out",
                file.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported " + (records.size() + 2) + " records");
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(LogArchive.read(in)).hasSize(records.size() + 2);
        }
        AuditRun fromFile = AuditRun.of("audit", "verify", "--file", file.toString(), "--namespace", ns);
        assertThat(fromFile.exitCode()).as(fromFile.out()).isZero();
        assertThat(fromFile.out()).contains("migrations: " + vms.size()).contains("dead letters: 2");

        // A forged event: a device of the first VM, claimed by an agent that did not register it.
        SimLogs.Vm victim = vms.get(0);
        AgentEvent.DeviceRegistered reg = victim.recording().produced().stream()
                .filter(e -> e instanceof AgentEvent.DeviceRegistered).map(e -> (AgentEvent.DeviceRegistered) e)
                .findFirst().orElseThrow();
        RecordMetadata at;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            at = producer.send(new ProducerRecord<>(catalog.deviceEvents().name(), catalog.partitionOf(victim.vm()),
                    System.currentTimeMillis(), TopicCatalog.key(victim.vm()), LogCodec.encode(
                            new AgentEvent.DeviceStateChanged(new HostId("rogue"), new AgentId("rogue-agent"), reg.vm(),
                                    reg.device(), 77, reg.at(), Optional.empty(), MigrationState.RUNNING,
                                    MigrationState.STOP, reg.at(), 0, Optional.empty())))).get();
        }
        AuditRun tampered = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns);
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.out()).contains("FORGED_DEVICE_EVENT vm=" + victim.vm() + " device=" + reg.device() + " at "
                + catalog.deviceEvents().name() + "/" + at.partition() + "@" + at.offset());

        AuditRun since = AuditRun.of("audit", "verify", "--bootstrap-servers", bootstrap, "--namespace", ns, "--since",
                java.time.Instant.ofEpochMilli(at.timestamp()).toString());
        assertThat(since.out()).contains("decisions not re-derived");
    }

    @Test
    void anUnreachableBrokerIsAnInputError() {
        AuditRun run = AuditRun.of("audit", "verify", "--bootstrap-servers", "127.0.0.1:1", "--stall-seconds", "3");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read the topics at 127.0.0.1:1");
    }
}
