package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogArchive;
import dev.vfo.schemas.codec.LoggedRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vfo audit verify --file} over archives of real runs (many VMs in one log), altered and not. */
class AuditFileTest {

    static final int SEEDS = 30;
    static List<SimLogs.Vm> vms = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void runs() {
        for (long seed = 200; seed < 200 + SEEDS; seed++) {
            vms.add(SimLogs.of(seed));
        }
    }

    static Path archive(String name, List<LoggedRecord> records) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            LogArchive.write(records, out);
        }
        return file;
    }

    @Test
    void anArchiveOfRealRunsVerifies() throws IOException {
        Path file = archive("log.avro", SimLogs.records(vms));
        Path html = dir.resolve("report.html");
        AuditRun run = AuditRun.of("audit", "verify", "--file", file.toString(), "--html", html.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("migrations: " + SEEDS).contains("verdict: OK, every rule holds")
                .contains("OK       COMPLETED").contains("dead letters: 0");
        String page = Files.readString(html);
        assertThat(page).contains("<svg").doesNotContain("<script").doesNotContain("http://fonts")
                .doesNotContain("src=\"http");
    }

    @Test
    void jsonIsOneDocumentWithAVerdictPerMigration() throws IOException {
        Path file = archive("json.avro", SimLogs.records(vms));
        AuditRun run = AuditRun.of("audit", "verify", "--file", file.toString(), "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("ok").asBoolean()).isTrue();
        assertThat(doc.get("migrations")).hasSize(SEEDS);
        assertThat(doc.get("migrations").get(0).get("verdict").asText()).isEqualTo("OK");
        assertThat(doc.get("violations")).isEmpty();
        assertThat(doc.get("recordsPerTopic").get("vfo.coordinator-log").asLong()).isPositive();
    }

    @Test
    void aForgedEventInTheArchiveFailsWithItsPlace() throws IOException {
        SimLogs.Vm vm = vms.get(0);
        AgentEvent.DeviceRegistered reg = vm.recording().produced().stream()
                .filter(e -> e instanceof AgentEvent.DeviceRegistered).map(e -> (AgentEvent.DeviceRegistered) e)
                .findFirst().orElseThrow();
        List<AgentEvent> events = new ArrayList<>(vm.recording().produced());
        events.add(new AgentEvent.DeviceStateChanged(new HostId("rogue"), new AgentId("rogue-agent"), reg.vm(),
                reg.device(), 999, reg.at().plusMillis(1), Optional.empty(), MigrationState.RUNNING, MigrationState.STOP,
                reg.at(), 0, Optional.empty()));
        List<SimLogs.Vm> all = new ArrayList<>(vms);
        all.set(0, new SimLogs.Vm(vm.vm(), vm.recording(), SimLogs.events(events), vm.log()));
        Path file = archive("forged.avro", SimLogs.records(all));
        AuditRun run = AuditRun.of("audit", "verify", "--file", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FORGED_DEVICE_EVENT vm=" + vm.vm() + " device=" + reg.device() + " at vfo.device-events/"
                + SimLogs.partition(vm.vm()) + "@").contains("comes from rogue-agent on rogue").contains("verdict: VIOLATED");
        AuditRun json = AuditRun.of("audit", "verify", "--file", file.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode v = new ObjectMapper().readTree(json.out()).get("violations").get(0);
        assertThat(v.get("rule").asText()).isEqualTo("FORGED_DEVICE_EVENT");
        assertThat(v.get("records").get(0).get("topic").asText()).isEqualTo("vfo.device-events");
        AuditRun threads = AuditRun.of("audit", "verify", "--file", file.toString(), "--threads", "3");
        assertThat(threads.exitCode()).isEqualTo(1);
        assertThat(threads.out()).contains("FORGED_DEVICE_EVENT vm=" + vm.vm() + " device=" + reg.device())
                .contains("verdict: VIOLATED");
        assertThat(AuditRun.of("audit", "verify", "--file", file.toString(), "--threads", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void oneVmAlone() throws IOException {
        Path file = archive("vm.avro", SimLogs.records(vms));
        AuditRun run = AuditRun.of("audit", "verify", "--file", file.toString(), "--vm", vms.get(3).vm().value());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("migrations: 1").contains("vm=" + vms.get(3).vm());
    }

    @Test
    void unreadableInputIsExitTwo() throws IOException {
        assertThat(AuditRun.of("audit", "verify", "--file", dir.resolve("absent.avro").toString()).exitCode()).isEqualTo(2);
        Path junk = Files.writeString(dir.resolve("junk.avro"), "not avro");
        AuditRun run = AuditRun.of("audit", "verify", "--file", junk.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read " + junk);
        assertThat(AuditRun.of("audit", "verify").exitCode()).isEqualTo(2);
        assertThat(AuditRun.of("audit", "verify", "--file", junk.toString(), "--since", "yesterday").err())
                .contains("--since 'yesterday' is not an ISO-8601 instant");
    }

    @Test
    void aTruncatedArchiveIsAnInputError() throws IOException {
        Path file = archive("cut.avro", SimLogs.records(vms));
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut2.avro"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        AuditRun run = AuditRun.of("audit", "verify", "--file", cut.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).containsAnyOf("truncated", "not a readable");
    }
}
