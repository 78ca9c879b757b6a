package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogArchiveTest {

    private static List<LoggedRecord> sampleLog() {
        byte[] vm = Samples.VM.value().getBytes(StandardCharsets.UTF_8);
        HashChain.Appended first = HashChain.append(ChainHead.genesis(Samples.VM),
                new SagaEvent.PhaseEntered(Samples.MIGRATION, Phase.QUIESCE, Samples.AT));
        HashChain.Appended second = HashChain.append(first.head(),
                new SagaEvent.DeviceReported(Samples.deviceStateChanged(), Samples.AT));
        List<LoggedRecord> log = new ArrayList<>();
        log.add(new LoggedRecord("vfo.device-events", 3, 100, 1_795_000_000_000L, Optional.of(vm),
                Optional.of(LogCodec.encode(Samples.deviceRegistered()))));
        log.add(new LoggedRecord("vfo.coordinator-log", 3, 7, 1_795_000_000_001L, Optional.of(vm),
                Optional.of(first.bytes())));
        log.add(new LoggedRecord("vfo.coordinator-log", 3, 8, 1_795_000_000_002L, Optional.of(vm),
                Optional.of(second.bytes())));
        log.add(new LoggedRecord("vfo.commands.hv-rack07-12", 0, 0, 1_795_000_000_003L, Optional.of(vm),
                Optional.of(LogCodec.encode(Samples.transitionDevice()))));
        // A dead letter's origin and reason are headers: the archive must keep them (and a null header value).
        log.add(new LoggedRecord("vfo.dead-letters", 1, 0, 1_795_000_000_004L, Optional.empty(),
                Optional.of(new byte[] {0x13, 0x37}), List.of(
                        new LoggedRecord.Header("vfo.dlq.topic", Optional.of("vfo.device-events".getBytes(StandardCharsets.UTF_8))),
                        new LoggedRecord.Header("vfo.dlq.offset", Optional.of("41".getBytes(StandardCharsets.UTF_8))),
                        new LoggedRecord.Header("trace", Optional.empty()))));
        log.add(new LoggedRecord("vfo.snapshots", 3, 9, 1_795_000_000_005L, Optional.of(vm), Optional.empty()));
        return log;
    }

    @Test
    void anArchiveReadsBackExactly(@TempDir Path dir) throws IOException {
        List<LoggedRecord> log = sampleLog();
        Path file = dir.resolve("log.avro");
        try (var out = Files.newOutputStream(file)) {
            LogArchive.write(log, out);
        }
        List<LoggedRecord> back;
        try (var in = Files.newInputStream(file)) {
            back = LogArchive.read(in);
        }
        assertThat(back).isEqualTo(log);
        // The bytes are exact, so the coordinator log's hash chain still verifies from the archive.
        assertThat(HashChain.verify(back.stream().filter(r -> r.topic().equals("vfo.coordinator-log"))
                .map(r -> r.value().orElseThrow()).toList()).intact()).isTrue();
    }

    @Test
    void anyAvroReaderUnderstandsTheFileWithoutVfosClasses(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.avro");
        try (var out = Files.newOutputStream(file)) {
            LogArchive.write(sampleLog(), out);
        }
        // -Dvfo.archive.sample=<path> keeps the file, to check it with another Avro implementation.
        String keep = System.getProperty("vfo.archive.sample");
        if (keep != null) {
            Files.copy(file, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // Plain generic API, schema taken from the file: what any Avro implementation does.
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            assertThat(reader.getSchema().getFullName()).isEqualTo(LogArchive.RECORD_NAME);
            assertThat(reader.getMetaString("avro.codec")).isEqualTo("deflate");
            reader.forEach(records::add);
        }
        assertThat(records).hasSize(6);
        GenericRecord registered = records.get(0);
        assertThat(registered.get("valueType").toString()).isEqualTo("dev.vfo.schemas.avro.event.DeviceRegistered");
        GenericRecord event = (GenericRecord) registered.get("decoded");
        assertThat(event).isNotInstanceOf(org.apache.avro.specific.SpecificRecord.class);
        assertThat(event.get("pciAddress").toString()).isEqualTo("0000:3b:00.1");
        assertThat(event.get("state").toString()).isEqualTo("RUNNING");
        assertThat(event.get("migrationFlags")).isEqualTo(15L);

        GenericRecord entry = records.get(1);
        assertThat(((GenericRecord) entry.get("decoded")).get("sequence")).isEqualTo(1L);
        GenericRecord phase = (GenericRecord) entry.get("entryEvent");
        assertThat(phase.getSchema().getName()).isEqualTo("PhaseEntered");
        assertThat(phase.get("phase").toString()).isEqualTo("QUIESCE");

        GenericRecord garbage = records.get(4);
        assertThat(garbage.get("valueType")).isNull();
        assertThat(garbage.get("decoded")).isNull();
        assertThat(garbage.get("key")).isNull();
    }

    @Test
    void anArchiveWrittenBeforeHeadersWereExportedStillReads() throws IOException {
        // The archive schema as it was before the optional headers field: the same record name,
        // every other field. Such files exist wherever an export was kept.
        org.apache.avro.Schema current = LogArchive.schema();
        List<org.apache.avro.Schema.Field> fields = current.getFields().stream().filter(f -> !f.name().equals("headers"))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema())).toList();
        org.apache.avro.Schema before = org.apache.avro.Schema.createRecord(current.getName(), current.getDoc(),
                current.getNamespace(), false, fields);
        org.apache.avro.generic.GenericData.Record old = new org.apache.avro.generic.GenericData.Record(before);
        old.put("topic", "vfo.device-events");
        old.put("partition", 4);
        old.put("offset", 17L);
        old.put("timestamp", 1_795_000_000_000L);
        old.put("key", java.nio.ByteBuffer.wrap(new byte[] {7}));
        old.put("value", java.nio.ByteBuffer.wrap(new byte[] {0x13, 0x37}));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (org.apache.avro.file.DataFileWriter<GenericRecord> writer = new org.apache.avro.file.DataFileWriter<>(
                new org.apache.avro.generic.GenericDatumWriter<>(before))) {
            writer.setMeta(LogArchive.COUNT, 1L);
            writer.create(before, file);
            writer.append(old);
        }

        List<LoggedRecord> back = LogArchive.read(new ByteArrayInputStream(file.toByteArray()));

        assertThat(back).containsExactly(new LoggedRecord("vfo.device-events", 4, 17, 1_795_000_000_000L,
                Optional.of(new byte[] {7}), Optional.of(new byte[] {0x13, 0x37})));
        assertThat(back.get(0).headers()).isEmpty();
    }

    @Test
    void aFileThatIsNotAnArchiveIsAnIOException() throws IOException {
        assertThatThrownBy(() -> LogArchive.read(new ByteArrayInputStream("Obj\u0001 nope".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogArchive.write(sampleLog(), out);
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 20);
        assertThatThrownBy(() -> LogArchive.read(new ByteArrayInputStream(cut))).isInstanceOf(IOException.class)
                .hasMessageContaining("header says 6 records");
    }
}
