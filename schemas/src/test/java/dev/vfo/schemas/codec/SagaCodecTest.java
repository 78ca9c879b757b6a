package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SagaCodecTest {

    @Property(tries = 1500)
    void everySagaEventRoundTrips(@ForAll("events") SagaEvent event) {
        assertThat(LogCodec.decodeSagaEvent(LogCodec.encode(event))).isEqualTo(Decoded.ok(event));
    }

    @Property(tries = 500)
    void everyLogEntryRoundTrips(@ForAll("events") SagaEvent event, @ForAll("digests") Digest previous) {
        CoordinatorLogEntry entry = new CoordinatorLogEntry(new VmId("vm-1"), 17, previous, event);
        byte[] bytes = LogCodec.encode(entry);
        assertThat(LogCodec.decodeLogEntry(bytes)).isEqualTo(Decoded.ok(entry));
        assertThat(LogCodec.decodeChainLink(bytes)).isEqualTo(Decoded.ok(entry.link()));
    }

    @Property(tries = 500)
    void everyRequestRoundTrips(@ForAll("requests") SagaInput request) {
        assertThat(LogCodec.decodeRequest(SagaSamples.encode(request))).isEqualTo(Decoded.ok(request));
    }

    @Provide
    Arbitrary<SagaEvent> events() {
        return SagaSamples.events();
    }

    @Provide
    Arbitrary<SagaInput> requests() {
        return SagaSamples.controlRequests();
    }

    @Provide
    Arbitrary<Digest> digests() {
        return net.jqwik.api.Arbitraries.bytes().array(byte[].class).ofSize(32).map(Digest::of);
    }

    @Test
    void thePropertiesCoverEveryKind() {
        Set<SagaEvent.Kind> kinds = EnumSet.noneOf(SagaEvent.Kind.class);
        SagaSamples.events().sampleStream().limit(3000).forEach(e -> kinds.add(e.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(SagaEvent.Kind.values());
        Set<SagaInput.Kind> requests = EnumSet.noneOf(SagaInput.Kind.class);
        SagaSamples.controlRequests().sampleStream().limit(200).forEach(r -> requests.add(r.kind()));
        assertThat(requests).containsExactlyInAnyOrder(SagaInput.Kind.START, SagaInput.Kind.CANCEL);
    }

    @Test
    void aLogEntryIsNotARequestNorAnEvent() {
        byte[] entry = LogCodec.encode(new CoordinatorLogEntry(new VmId("vm-1"), 1, Digest.ZERO,
                new SagaEvent.InputIgnored("duplicate")));
        assertThat(((Decoded.Failed<?>) LogCodec.decodeRequest(entry)).failure().reason())
                .isEqualTo(Failure.Reason.UNEXPECTED_TYPE);
        assertThat(((Decoded.Failed<?>) LogCodec.decodeAgentEvent(entry)).failure().reason())
                .isEqualTo(Failure.Reason.UNEXPECTED_TYPE);
    }

    @Test
    void aBadNestedAgentEventFailsTheEntryWithTheNestedReasonButKeepsItsChainLink() {
        // A DeviceReported whose nested event bytes are not an event: the entry does not decode,
        // but the audit can still read its place in the chain.
        dev.vfo.schemas.avro.saga.DeviceReported bad = new dev.vfo.schemas.avro.saga.DeviceReported(
                java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), java.time.Instant.EPOCH);
        byte[] eventBytes = new SingleObject(SchemaSet.standard()).encode(bad);
        byte[] entry = new SingleObject(SchemaSet.standard()).encode(new dev.vfo.schemas.avro.saga.LogEntry("vm-1", 1L,
                new dev.vfo.schemas.avro.Sha256(new byte[32]), java.nio.ByteBuffer.wrap(eventBytes)));
        Decoded<CoordinatorLogEntry> d = LogCodec.decodeLogEntry(entry);
        assertThat(((Decoded.Failed<?>) d).failure().reason()).isEqualTo(Failure.Reason.WRONG_MARKER);
        assertThat(((Decoded.Failed<?>) d).failure().detail()).contains("LogEntry.event: DeviceReported.event");
        assertThat(LogCodec.decodeChainLink(entry).orElseThrow().sequence()).isEqualTo(1);
    }

    /** A LogEntry around the single-object bytes of {@code failed}, written with {@code writer}. */
    private static byte[] entryOf(org.apache.avro.generic.GenericRecord failed, org.apache.avro.Schema writer)
            throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {SingleObject.MARKER_0, SingleObject.MARKER_1});
        long fp = SchemaSet.fingerprint(writer);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)) & 0xff);
        }
        org.apache.avro.io.BinaryEncoder e = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(writer).write(failed, e);
        e.flush();
        return new SingleObject(SchemaSet.standard()).encode(new dev.vfo.schemas.avro.saga.LogEntry("vm-1", 1L,
                new dev.vfo.schemas.avro.Sha256(new byte[32]), java.nio.ByteBuffer.wrap(out.toByteArray())));
    }

    private static org.apache.avro.generic.GenericRecord failed(org.apache.avro.Schema schema,
            java.util.function.Consumer<org.apache.avro.generic.GenericRecord> device) {
        org.apache.avro.Schema snapshot = schema.getField("devices").schema().getElementType();
        org.apache.avro.generic.GenericRecord d = new org.apache.avro.generic.GenericData.Record(snapshot);
        if (snapshot.getField("unanswered") != null) {
            d.put("unanswered", java.util.List.of());
        }
        d.put("host", "dst-host");
        d.put("device", "dst-4");
        d.put("state", new org.apache.avro.generic.GenericData.EnumSymbol(snapshot.getField("state").schema(), "STOP"));
        device.accept(d);
        org.apache.avro.generic.GenericRecord f = new org.apache.avro.generic.GenericData.Record(schema);
        f.put("migration", "mig-1");
        f.put("reason", "after the commit point: out of attempts");
        f.put("devices", java.util.List.of(d));
        f.put("at", 0L);
        return f;
    }

    @Test
    void aFailureWrittenByVersion1DecodesWithNoCommandInDoubt() throws java.io.IOException {
        org.apache.avro.Schema v1 = SchemaSet.standard().history().get(1).stream()
                .filter(x -> x.getFullName().equals("dev.vfo.schemas.avro.saga.MigrationFailed")).findFirst()
                .orElseThrow();
        assertThat(v1.getField("devices").schema().getElementType().getField("unanswered")).isNull();
        Decoded<CoordinatorLogEntry> d = LogCodec.decodeLogEntry(entryOf(failed(v1, x -> { }), v1));
        SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) ((Decoded.Ok<CoordinatorLogEntry>) d).value().event();
        assertThat(f.devices()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(dev.vfo.core.vfio.MigrationState.STOP);
            assertThat(s.unanswered()).isEmpty();
        });
    }

    @Test
    void anUnansweredTargetThisVersionDoesNotKnowIsRefused() throws java.io.IOException {
        org.apache.avro.Schema current = dev.vfo.schemas.avro.saga.MigrationFailed.getClassSchema();
        org.apache.avro.Schema command = current.getField("devices").schema().getElementType().getField("unanswered")
                .schema().getElementType();
        org.apache.avro.generic.GenericRecord c = new org.apache.avro.generic.GenericData.Record(command);
        c.put("command", "c7.e1.mig-1");
        c.put("target", new org.apache.avro.generic.GenericData.EnumSymbol(command.getField("target").schema(),
                "UNKNOWN"));
        Decoded<CoordinatorLogEntry> d = LogCodec.decodeLogEntry(entryOf(
                failed(current, x -> x.put("unanswered", java.util.List.of(c))), current));
        assertThat(((Decoded.Failed<?>) d).failure().reason()).isEqualTo(Failure.Reason.UNKNOWN_SYMBOL);
        assertThat(((Decoded.Failed<?>) d).failure().detail()).contains("devices.unanswered.target");
    }

    @Test
    void typicalSizes() {
        SagaEvent phase = new SagaEvent.PhaseEntered(Samples.MIGRATION, dev.vfo.core.saga.Phase.QUIESCE, Samples.AT);
        byte[] entry = LogCodec.encode(new CoordinatorLogEntry(Samples.VM, 42, Digest.sha256(new byte[] {1}), phase));
        byte[] reported = LogCodec.encode(new CoordinatorLogEntry(Samples.VM, 43, Digest.ZERO,
                new SagaEvent.DeviceReported(Samples.deviceStateChanged(), Samples.AT)));
        System.out.printf("typical sizes (bytes): LogEntry(PhaseEntered)=%d LogEntry(DeviceReported(DeviceStateChanged))=%d%n",
                entry.length, reported.length);
        assertThat(entry.length).isLessThan(200);
    }
}
