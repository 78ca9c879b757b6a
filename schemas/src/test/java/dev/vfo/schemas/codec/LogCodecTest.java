package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.avro.event.DeviceRegistered;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class LogCodecTest {

    @Property(tries = 2000)
    void everyAgentEventRoundTrips(@ForAll("events") AgentEvent event) {
        assertThat(LogCodec.decodeAgentEvent(LogCodec.encode(event))).isEqualTo(Decoded.ok(event));
    }

    @Property(tries = 1000)
    void everyAgentCommandRoundTrips(@ForAll("commands") AgentCommand command) {
        assertThat(LogCodec.decodeAgentCommand(LogCodec.encode(command))).isEqualTo(Decoded.ok(command));
    }

    /**
     * The decoder reads every record of a type into one Avro record per thread: a decoded value
     * must not share anything with it, or decoding the next record would change the first.
     */
    @Property(tries = 1000)
    void aDecodedValueStaysAsItWasWhenTheNextRecordOfItsTypeIsDecoded(@ForAll("events") AgentEvent a,
            @ForAll("events") AgentEvent b, @ForAll("commands") AgentCommand c, @ForAll("commands") AgentCommand d,
            @ForAll("sagaEvents") dev.vfo.core.saga.SagaEvent e, @ForAll("sagaEvents") dev.vfo.core.saga.SagaEvent f) {
        AgentEvent first = LogCodec.decodeAgentEvent(LogCodec.encode(a)).orElseThrow();
        AgentCommand firstCommand = LogCodec.decodeAgentCommand(LogCodec.encode(c)).orElseThrow();
        CoordinatorLogEntry firstEntry = LogCodec.decodeLogEntry(LogCodec.encode(entry(e))).orElseThrow();
        LogCodec.decodeAgentEvent(LogCodec.encode(b)).orElseThrow();
        LogCodec.decodeAgentCommand(LogCodec.encode(d)).orElseThrow();
        LogCodec.decodeLogEntry(LogCodec.encode(entry(f))).orElseThrow();
        assertThat(first).isEqualTo(a);
        assertThat(firstCommand).isEqualTo(c);
        assertThat(firstEntry).isEqualTo(entry(e));
    }

    /**
     * Agent events are remembered by their bytes (RecentAgentEvents). With the hash forced equal,
     * only the remembered bytes tell two events apart: a different array with the other event, or
     * the same array rewritten in place, must not find the first event (this fails if the key is
     * the caller's array rather than a copy, or if a hit checks the hash alone).
     */
    @Test
    void onlyTheSameBytesFindARememberedEvent() {
        AgentEvent.DeviceRegistered r = Samples.deviceRegistered();
        AgentEvent a = registered(r, "gpu-a");
        AgentEvent b = registered(r, "gpu-b");
        byte[] array = LogCodec.encode(a);
        byte[] other = LogCodec.encode(b);
        assertThat(other).hasSameSizeAs(array);
        RecentAgentEvents recent = new RecentAgentEvents();
        recent.put(array, 0, array.length, 7, a);
        assertThat(recent.get(array.clone(), 0, array.length, 7)).isSameAs(a);
        assertThat(recent.get(array, 0, array.length, 8)).as("another hash").isNull();
        assertThat(recent.get(other, 0, other.length, 7)).as("other bytes, same hash").isNull();
        System.arraycopy(other, 0, array, 0, other.length);
        assertThat(recent.get(array, 0, array.length, 7)).as("the array rewritten in place").isNull();
        assertThat(LogCodec.decodeAgentEvent(array, recent)).isEqualTo(Decoded.ok(b));
    }

    private static AgentEvent registered(AgentEvent.DeviceRegistered r, String device) {
        return new AgentEvent.DeviceRegistered(r.host(), r.agent(), r.vm(), new dev.vfo.core.protocol.DeviceId(device),
                r.sequence(), r.at(), r.pciAddress(), r.driver(), r.model(), r.migrationFlags(), r.stopCopySizeEstimate(),
                r.state(), r.transferEndpoint());
    }

    /**
     * The same bytes decode to the same value, remembered or not, alone or nested in a log entry;
     * the entry's event is the very value remembered from the agent's bytes.
     */
    @Property(tries = 300)
    void aRememberedEventIsTheEventTheBytesEncode(@ForAll("events") AgentEvent a, @ForAll("events") AgentEvent b) {
        RecentAgentEvents recent = new RecentAgentEvents();
        byte[] bytes = LogCodec.encode(a);
        AgentEvent first = LogCodec.decodeAgentEvent(bytes, recent).orElseThrow();
        assertThat(first).isEqualTo(a);
        assertThat(LogCodec.decodeAgentEvent(LogCodec.encode(b), recent)).isEqualTo(Decoded.ok(b));
        CoordinatorLogEntry entry = entry(new dev.vfo.core.saga.SagaEvent.DeviceReported(a, a.at()));
        CoordinatorLogEntry decoded = LogCodec.decodeLogEntry(LogCodec.encode(entry), recent).orElseThrow();
        assertThat(decoded).isEqualTo(entry);
        assertThat(((dev.vfo.core.saga.SagaEvent.DeviceReported) decoded.event()).event()).isSameAs(first);
        assertThat(LogCodec.decodeLogEntry(LogCodec.encode(entry))).as("without a memory").isEqualTo(Decoded.ok(entry));
    }

    private static CoordinatorLogEntry entry(dev.vfo.core.saga.SagaEvent e) {
        return new CoordinatorLogEntry(new dev.vfo.core.protocol.VmId("vm-1"), 7,
                Digest.sha256(e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), e);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<dev.vfo.core.saga.SagaEvent> sagaEvents() {
        return SagaSamples.events();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<AgentEvent> events() {
        return Samples.events();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<AgentCommand> commands() {
        return Samples.commands();
    }

    @Test
    void theRoundTripPropertiesCoverEveryKind() {
        Set<AgentEvent.Kind> events = EnumSet.noneOf(AgentEvent.Kind.class);
        Samples.events().sampleStream().limit(2000).forEach(e -> events.add(e.kind()));
        assertThat(events).containsExactlyInAnyOrder(AgentEvent.Kind.values());
        Set<AgentCommand.Kind> commands = EnumSet.noneOf(AgentCommand.Kind.class);
        Samples.commands().sampleStream().limit(1000).forEach(c -> commands.add(c.kind()));
        assertThat(commands).containsExactlyInAnyOrder(AgentCommand.Kind.values());
    }

    @Test
    void anEventIsNotACommandAndViceVersa() {
        Decoded<AgentCommand> asCommand = LogCodec.decodeAgentCommand(LogCodec.encode(Samples.deviceRegistered()));
        assertThat(asCommand).isInstanceOf(Decoded.Failed.class);
        assertThat(((Decoded.Failed<?>) asCommand).failure().reason()).isEqualTo(Failure.Reason.UNEXPECTED_TYPE);
        Decoded<AgentEvent> asEvent = LogCodec.decodeAgentEvent(LogCodec.encode(Samples.transitionDevice()));
        assertThat(((Decoded.Failed<?>) asEvent).failure().reason()).isEqualTo(Failure.Reason.UNEXPECTED_TYPE);
    }

    @Test
    void theBytesAreStandardSingleObjectEncoding() throws Exception {
        byte[] ours = LogCodec.encode(Samples.deviceRegistered());
        assertThat(ours[0]).isEqualTo((byte) 0xC3);
        assertThat(ours[1]).isEqualTo((byte) 0x01);
        // Avro's own single-object decoder (generated class) reads our bytes, and ours read its.
        DeviceRegistered viaAvro = DeviceRegistered.fromByteBuffer(ByteBuffer.wrap(ours));
        assertThat(viaAvro.getPciAddress()).isEqualTo("0000:3b:00.1");
        byte[] theirs = viaAvro.toByteBuffer().array();
        assertThat(theirs).isEqualTo(ours);
    }

    @Test
    void instantsKeepTheirNanoseconds() {
        AgentEvent e = Samples.deviceStateChanged();
        AgentEvent back = LogCodec.decodeAgentEvent(LogCodec.encode(e)).orElseThrow();
        assertThat(back.at()).isEqualTo(Instant.parse("2026-11-23T21:04:05.123456789Z"));
    }

    @Test
    void anInstantTheWireCannotHoldIsAnEncodingError() {
        AgentEvent.DeviceRegistered r = Samples.deviceRegistered();
        AgentEvent.DeviceRegistered far = new AgentEvent.DeviceRegistered(r.host(), r.agent(), r.vm(), r.device(),
                1, Instant.parse("2300-01-01T00:00:00Z"), r.pciAddress(), r.driver(), r.model(), r.migrationFlags(),
                r.stopCopySizeEstimate(), r.state(), r.transferEndpoint());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogCodec.encode(far))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKernelStateHasAWireSymbolAndOnlyUnknownIsExtra() {
        Schema avro = dev.vfo.schemas.avro.MigrationState.getClassSchema();
        assertThat(avro.getEnumSymbols()).first().isEqualTo("UNKNOWN");
        assertThat(avro.getEnumDefault()).isEqualTo("UNKNOWN");
        assertThat(avro.getEnumSymbols().subList(1, avro.getEnumSymbols().size()))
                .containsExactly(java.util.Arrays.stream(dev.vfo.core.vfio.MigrationState.values())
                        .map(Enum::name).toArray(String[]::new));
    }

    @Test
    void generatedClassesAreTrustedWithoutAnySystemProperty() {
        // Surefire starts this JVM without -Dorg.apache.avro.SERIALIZABLE_PACKAGES: the codec alone
        // must make Avro 1.12 accept the generated classes.
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
        assertThat(LogCodec.decodeAgentEvent(LogCodec.encode(Samples.heartbeat())).kind())
                .isEqualTo(Decoded.Kind.OK);
        assertThat(SpecificData.get().getClass(dev.vfo.schemas.avro.event.DeviceStatus.getClassSchema()))
                .isEqualTo(dev.vfo.schemas.avro.event.DeviceStatus.class);
    }

    @Test
    void typicalRecordSizes() {
        int registered = LogCodec.encode(Samples.deviceRegistered()).length;
        int changed = LogCodec.encode(Samples.deviceStateChanged()).length;
        int heartbeat = LogCodec.encode(Samples.heartbeat()).length;
        int command = LogCodec.encode(Samples.transitionDevice()).length;
        System.out.printf("typical sizes (bytes): DeviceRegistered=%d DeviceStateChanged=%d AgentHeartbeat(2 devices)=%d"
                + " TransitionDevice=%d%n", registered, changed, heartbeat, command);
        assertThat(registered).isBetween(10, 400);
        assertThat(changed).isBetween(10, 400);
    }
}
