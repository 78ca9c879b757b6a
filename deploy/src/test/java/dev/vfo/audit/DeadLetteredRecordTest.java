package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogArchive;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.deadletter.DeadLetters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on an audited topic is judged by what the product did with it: dead-lettered with its
 * bytes and origin (the letters the consumers write, {@link DeadLetters#letter}) it is quarantined,
 * otherwise it is a violation, and so is a letter that claims something else.
 */
class DeadLetteredRecordTest {

    private static final String EVENTS = SimLogs.TOPICS.deviceEvents().name();
    private static final String LETTERS = SimLogs.TOPICS.deadLetters().name();
    private static final byte[] GARBAGE = {(byte) 0xC3, 1, 9, 9};

    /** What the product's decoder says about the garbage: the reason its letter carries. */
    private static final String REASON = ((Decoded.Failed<AgentEvent>) LogCodec.decodeAgentEvent(GARBAGE)).failure()
            .reason().name();

    @TempDir
    Path dir;

    /** A completed run of seed 1 with garbage as its fourth device-events record. */
    private static List<LoggedRecord> withGarbage() {
        SimLogs.Vm vm = SimLogs.of(1);
        vm.events().add(3, new SimLogs.Entry(GARBAGE, vm.events().get(3).timestamp()));
        return new ArrayList<>(SimLogs.records(vm));
    }

    private static LoggedRecord garbageIn(List<LoggedRecord> log) {
        return log.stream().filter(r -> r.value().map(v -> Arrays.equals(v, GARBAGE)).orElse(false)).findFirst()
                .orElseThrow();
    }

    /** The letter a consumer writes for {@code r}, as it sits at {@code offset} of the dead-letter topic. */
    private static LoggedRecord letterFor(LoggedRecord r, long offset) {
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                r.timestamp(), TimestampType.CREATE_TIME, -1, -1, r.key().orElse(null), r.value().orElse(null),
                new RecordHeaders(), Optional.empty());
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(r.value().orElse(new byte[0]));
        dev.vfo.schemas.codec.Failure failure = d instanceof Decoded.Failed ? ((Decoded.Failed<AgentEvent>) d).failure()
                : new dev.vfo.schemas.codec.Failure(dev.vfo.schemas.codec.Failure.Reason.WRONG_MARKER, "forged");
        ProducerRecord<byte[], byte[]> letter = DeadLetters.letter(LETTERS, consumed, failure);
        List<LoggedRecord.Header> headers = new ArrayList<>();
        letter.headers().forEach(h -> headers.add(new LoggedRecord.Header(h.key(), Optional.ofNullable(h.value()))));
        return new LoggedRecord(LETTERS, 0, offset, r.timestamp() + 5, Optional.ofNullable(letter.key()),
                Optional.ofNullable(letter.value()), headers);
    }

    private static AuditReport audit(List<LoggedRecord> log) {
        return SimLogs.audit(log, SimLogs.LATER);
    }

    @Test
    void garbageThatWasDeadLetteredIsQuarantinedNotAViolation() {
        List<LoggedRecord> log = withGarbage();
        LoggedRecord garbage = garbageIn(log);
        log.add(letterFor(garbage, 0));
        AuditReport r = audit(log);
        assertThat(r.violations()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.deadLetters()).isEqualTo(1);
        assertThat(r.quarantinedCount()).isEqualTo(1);
        QuarantinedRecord q = r.quarantined().get(0);
        assertThat(q.record()).isEqualTo(RecordRef.of(garbage));
        assertThat(q.letter()).isEqualTo(new RecordRef(LETTERS, 0, 0));
        assertThat(q.vm()).contains(SimLogs.of(1).vm());
        assertThat(q.reason()).startsWith(REASON).isNotEqualTo(REASON);
        assertThat(q.finding()).contains("not an agent event");
        assertThat(r.migrations()).singleElement().satisfies(m -> assertThat(m.ok()).isTrue());
    }

    @Test
    void garbageThatWasNotDeadLetteredIsAViolation() {
        List<LoggedRecord> log = withGarbage();
        AuditReport r = audit(log);
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(AuditRule.UNDECODABLE_RECORD);
            assertThat(v.records()).containsExactly(RecordRef.of(garbageIn(log)));
            assertThat(v.message()).contains("not an agent event").contains("was not dead-lettered");
        });
        assertThat(r.quarantined()).isEmpty();
    }

    @Test
    void aLetterWithOtherBytesDoesNotQuarantineTheGarbageAndIsForged() {
        List<LoggedRecord> log = withGarbage();
        LoggedRecord garbage = garbageIn(log);
        LoggedRecord other = new LoggedRecord(garbage.topic(), garbage.partition(), garbage.offset(),
                garbage.timestamp(), garbage.key(), Optional.of(new byte[] {(byte) 0xC3, 1, 7}));
        log.add(letterFor(other, 0));
        AuditReport r = audit(log);
        assertThat(r.violations()).extracting(AuditViolation::rule)
                .containsExactlyInAnyOrder(AuditRule.FORGED_DEAD_LETTER, AuditRule.UNDECODABLE_RECORD);
        assertThat(r.violations()).filteredOn(v -> v.rule() == AuditRule.FORGED_DEAD_LETTER).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("bytes differ"));
        assertThat(r.quarantined()).isEmpty();
    }

    @Test
    void aLetterClaimingADecodableRecordIsForged() {
        List<LoggedRecord> log = new ArrayList<>(SimLogs.records(SimLogs.of(1)));
        LoggedRecord fine = log.stream().filter(x -> x.topic().equals(EVENTS)).skip(2).findFirst().orElseThrow();
        log.add(letterFor(fine, 0));
        AuditReport r = audit(log);
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(AuditRule.FORGED_DEAD_LETTER);
            assertThat(v.records()).containsExactly(new RecordRef(LETTERS, 0, 0));
            assertThat(v.message()).contains("claims " + RecordRef.of(fine)).contains("decodes or is not in the log");
        });
    }

    @Test
    void aRedeliveredLetterAndALetterReadBeforeItsRecordAreFine() {
        List<LoggedRecord> log = withGarbage();
        LoggedRecord garbage = garbageIn(log);
        log.add(0, letterFor(garbage, 0)); // as a partitioned audit may see it: the letter first
        log.add(letterFor(garbage, 1)); // a consumer crashed between letter and commit: written twice
        AuditReport r = audit(log);
        assertThat(r.violations()).isEmpty();
        assertThat(r.quarantinedCount()).isEqualTo(1);
        assertThat(r.deadLetters()).isEqualTo(2);
    }

    @Test
    void lettersForTopicsTheAuditDoesNotDecodeAreCountedOnly() {
        List<LoggedRecord> log = new ArrayList<>(SimLogs.records(SimLogs.of(1)));
        log.add(letterFor(new LoggedRecord("vfo.commands.hv-1", 0, 4, 1L, Optional.empty(), Optional.of(GARBAGE)), 0));
        AuditReport r = audit(log);
        assertThat(r.ok()).isTrue();
        assertThat(r.deadLetters()).isEqualTo(1);
        assertThat(r.quarantined()).isEmpty();
    }

    @Test
    void thePartitionedAuditQuarantinesTheSame() {
        List<LoggedRecord> log = new ArrayList<>(SimLogs.records(List.of(SimLogs.of(1), SimLogs.of(2), SimLogs.of(3))));
        List<LoggedRecord> garbage = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoggedRecord g = new LoggedRecord(EVENTS, i, 10_000 + i, 1L, Optional.empty(), Optional.of(GARBAGE));
            garbage.add(g);
            log.add(0, g);
        }
        log.add(letterFor(garbage.get(0), 0));
        log.add(letterFor(garbage.get(1), 1));
        AuditReport one = audit(log);
        PartitionedAudit partitioned = new PartitionedAudit(SimLogs.TOPICS, AuditEngine.Scope.everything(), 2);
        log.forEach(partitioned);
        AuditReport many = partitioned.finish(SimLogs.LATER);
        for (AuditReport r : List.of(one, many)) {
            assertThat(r.quarantined()).extracting(QuarantinedRecord::record)
                    .containsExactlyInAnyOrder(RecordRef.of(garbage.get(0)), RecordRef.of(garbage.get(1)));
            assertThat(r.violations()).singleElement().satisfies(v -> {
                assertThat(v.rule()).isEqualTo(AuditRule.UNDECODABLE_RECORD);
                assertThat(v.records()).containsExactly(RecordRef.of(garbage.get(2)));
            });
        }
    }

    @Test
    void pastTheBoundTheEldestSuspectIsJudgedNotDeadLettered() {
        List<LoggedRecord> log = new ArrayList<>();
        for (int i = 0; i <= Quarantine.WAITING; i++) {
            log.add(new LoggedRecord(EVENTS, 0, i, 1L, Optional.empty(), Optional.of(GARBAGE)));
        }
        List<LoggedRecord> letters = new ArrayList<>();
        log.forEach(g -> letters.add(letterFor(g, letters.size())));
        log.addAll(letters);
        AuditReport r = audit(log);
        assertThat(r.quarantinedCount()).isEqualTo(Quarantine.WAITING);
        assertThat(r.quarantined()).hasSize(AuditEngine.KEPT_VIOLATIONS);
        // The eldest was judged before its letter came; its letter then claims a record no longer waiting.
        assertThat(r.violations()).extracting(AuditViolation::rule)
                .containsExactlyInAnyOrder(AuditRule.UNDECODABLE_RECORD, AuditRule.FORGED_DEAD_LETTER);
        assertThat(r.violations()).filteredOn(v -> v.rule() == AuditRule.UNDECODABLE_RECORD).singleElement()
                .satisfies(v -> {
                    assertThat(v.records()).containsExactly(new RecordRef(EVENTS, 0, 0));
                    assertThat(v.message()).contains("more than " + Quarantine.WAITING);
                });
    }

    @Test
    void anArchiveCarriesTheLettersAndEveryReportListsTheQuarantinedRecord() throws IOException {
        List<LoggedRecord> log = withGarbage();
        LoggedRecord garbage = garbageIn(log);
        log.add(letterFor(garbage, 0));
        Path file = dir.resolve("log.avro");
        try (OutputStream out = Files.newOutputStream(file)) {
            LogArchive.write(log, out);
        }
        Path html = dir.resolve("report.html");
        AuditRun run = AuditRun.of("audit", "verify", "--file", file.toString(), "--html", html.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("quarantined: 1").contains(RecordRef.of(garbage) + " vm=")
                .contains("dead-lettered at " + LETTERS + "/0@0").contains("verdict: OK");
        AuditRun asJson = AuditRun.of("audit", "verify", "--file", file.toString(), "--json");
        assertThat(asJson.exitCode()).as(asJson.out() + asJson.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(asJson.out());
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("quarantinedCount").asLong()).isEqualTo(1);
        JsonNode q = report.get("quarantined").get(0);
        assertThat(q.get("record").get("offset").asLong()).isEqualTo(garbage.offset());
        assertThat(q.get("deadLetter").get("topic").asText()).isEqualTo(LETTERS);
        assertThat(q.get("reason").asText()).startsWith(REASON);
        assertThat(Files.readString(html)).contains("Quarantined records").contains(RecordRef.of(garbage).toString());
    }
}
