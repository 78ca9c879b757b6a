package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.schemas.avro.event.DeviceRegistered;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Each kind of bad input the issue names yields its typed failure; none throws. */
class HostileInputTest {

    private static Failure.Reason reasonOf(Decoded<?> d) {
        assertThat(d).isInstanceOf(Decoded.Failed.class);
        return ((Decoded.Failed<?>) d).failure().reason();
    }

    private static String detailOf(Decoded<?> d) {
        return ((Decoded.Failed<?>) d).failure().detail();
    }

    @Test
    void nothingAtAll() {
        assertThat(reasonOf(LogCodec.decodeAgentEvent(null))).isEqualTo(Failure.Reason.EMPTY);
        assertThat(reasonOf(LogCodec.decodeAgentEvent(new byte[0]))).isEqualTo(Failure.Reason.EMPTY);
    }

    @Test
    void wrongMarker() {
        byte[] good = LogCodec.encode(Samples.deviceRegistered());
        byte[] json = "{\"vm\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(reasonOf(LogCodec.decodeAgentEvent(json))).isEqualTo(Failure.Reason.WRONG_MARKER);
        byte[] v0 = good.clone();
        v0[1] = 0x00;
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(v0);
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.WRONG_MARKER);
        assertThat(detailOf(d)).contains("C3 00");
    }

    @Test
    void everyTruncationFailsAsTruncatedOrBadLength() {
        byte[] good = LogCodec.encode(Samples.deviceStateChanged());
        for (int n = 1; n < good.length; n++) {
            Failure.Reason r = reasonOf(LogCodec.decodeAgentEvent(Arrays.copyOf(good, n)));
            assertThat(r).as("prefix of %d bytes", n)
                    .isIn(Failure.Reason.TRUNCATED, Failure.Reason.INVALID_LENGTH);
        }
    }

    @Test
    void trailingBytes() {
        byte[] good = LogCodec.encode(Samples.heartbeat());
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(longer);
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.TRAILING_BYTES);
        assertThat(detailOf(d)).contains("1 bytes after the end of dev.vfo.schemas.avro.event.AgentHeartbeat");
    }

    @Test
    void unknownFingerprint() {
        byte[] bytes = LogCodec.encode(Samples.deviceRegistered());
        bytes[5] ^= 0x40;
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(bytes);
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.UNKNOWN_FINGERPRINT);
        assertThat(detailOf(d)).contains("newer version");
    }

    @Test
    void aHugeStringLengthIsRefusedWithoutAllocatingIt() {
        // DeviceRegistered whose first string (host) claims 2^62 bytes.
        byte[] header = Arrays.copyOf(LogCodec.encode(Samples.deviceRegistered()), SingleObject.HEADER_BYTES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        writeLong(out, 1L << 62);
        out.writeBytes(new byte[] {'h', 'v'});
        long before = AllocationMeter.allocatedBytes();
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(out.toByteArray());
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_LENGTH);
        assertThat(detailOf(d)).contains("DeviceRegistered.host").contains("length 4611686018427387904");
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void aHugeArrayCountIsRefused() {
        ByteArrayOutputStream out = headerOf(LogCodec.encode(Samples.heartbeat()));
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            e.writeString("h");
            e.writeString("a");
            e.writeString("v");
            e.writeLong(1);
            e.writeLong(1);
            e.writeLong(Integer.MAX_VALUE); // devices: block count
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(out.toByteArray());
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_LENGTH);
        assertThat(detailOf(d)).contains("AgentHeartbeat.devices");
    }

    @Test
    void anOverlongVarint() {
        ByteArrayOutputStream out = headerOf(LogCodec.encode(Samples.deviceRegistered()));
        for (int i = 0; i < 11; i++) {
            out.write(0xff);
        }
        assertThat(reasonOf(LogCodec.decodeAgentEvent(out.toByteArray()))).isEqualTo(Failure.Reason.INVALID_VARINT);
    }

    @Test
    void anEnumIndexOutsideTheSymbols() {
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(deviceRegisteredWithStateIndex(42));
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_ENUM);
        assertThat(detailOf(d)).contains("DeviceRegistered.state").contains("index 42");
        assertThat(reasonOf(LogCodec.decodeAgentEvent(deviceRegisteredWithStateIndex(-1))))
                .isEqualTo(Failure.Reason.INVALID_ENUM);
    }

    @Test
    void theUnknownSymbolIsRefusedNotMappedToAState() {
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(deviceRegisteredWithStateIndex(0));
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.UNKNOWN_SYMBOL);
        assertThat(detailOf(d)).contains("state");
    }

    @Test
    void aNewerWritersEnumSymbolReadsAsUnknownAndIsRefused() throws IOException {
        // A future writer adds a kernel state; this build's reader falls back to UNKNOWN (the
        // enum default) and the codec refuses the record instead of inventing a state.
        Schema current = DeviceRegistered.getClassSchema();
        String json = current.toString().replace("\"PRE_COPY_P2P\"]", "\"PRE_COPY_P2P\",\"RUNNING_P3\"]");
        Schema newer = new Schema.Parser().parse(json);
        assertThat(newer.getField("state").schema().getEnumSymbols()).contains("RUNNING_P3");
        Map<Integer, List<Schema>> history = new TreeMap<>(SchemaSet.standard().history());
        history.put(99, List.of(newer));
        SingleObject wire = new SingleObject(new SchemaSet(SchemaSet.standard().current(), new TreeMap<>(history)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fp = SchemaSet.fingerprint(newer);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)));
        }
        out.writeBytes(bodyOfDeviceRegistered(newer.getField("state").schema().getEnumSymbols().indexOf("RUNNING_P3")));
        Decoded<org.apache.avro.specific.SpecificRecord> record = wire.decode(out.toByteArray(), EventMapping.TYPES);
        DeviceRegistered r = (DeviceRegistered) record.orElseThrow();
        assertThat(r.getState()).isEqualTo(dev.vfo.schemas.avro.MigrationState.UNKNOWN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventMapping.toDomain(r))
                .isInstanceOf(Refusal.class)
                .satisfies(t -> assertThat(((Refusal) t).failure.reason()).isEqualTo(Failure.Reason.UNKNOWN_SYMBOL));
    }

    @Test
    void anInvalidUnionIndex() throws IOException {
        ByteArrayOutputStream out = headerOf(LogCodec.encode(Samples.deviceStateChanged()));
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeString("h");
        e.writeString("a");
        e.writeString("v");
        e.writeString("d");
        e.writeLong(1);
        e.writeLong(1);
        e.writeIndex(7); // answers: union {null, string}
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(out.toByteArray());
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_UNION);
        assertThat(detailOf(d)).contains("DeviceStateChanged.answers").contains("union index 7");
    }

    @Test
    void aBooleanByteOtherThanZeroOrOne() {
        dev.vfo.core.saga.MigrationPolicy p = dev.vfo.core.saga.MigrationPolicy.defaults();
        byte[] bytes = LogCodec.encode(new dev.vfo.core.saga.SagaInput.Cancel(Samples.MIGRATION, "r", Samples.AT));
        assertThat(LogCodec.decodeRequest(bytes).kind()).isEqualTo(Decoded.Kind.OK);
        byte[] start = LogCodec.encode(new dev.vfo.core.saga.SagaInput.Start(new dev.vfo.core.saga.MigrationRequest(
                Samples.MIGRATION, Samples.VM, Samples.HOST, new dev.vfo.core.protocol.HostId("hv-2"),
                List.of(), p), Samples.AT));
        // policy.preCopy is the only boolean; find it as the byte after maxAttempts (zig-zag 3 = 6).
        int at = -1;
        for (int i = start.length - 1; i > 0; i--) {
            if (start[i] == 1 && start[i - 1] == 6) {
                at = i;
                break;
            }
        }
        assertThat(at).isPositive();
        start[at] = 2;
        Decoded<dev.vfo.core.saga.SagaInput> d = LogCodec.decodeRequest(start);
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_BOOLEAN);
        assertThat(detailOf(d)).contains("policy.preCopy");
    }

    @Test
    void malformedUtf8() throws IOException {
        ByteArrayOutputStream out = headerOf(LogCodec.encode(Samples.deviceRegistered()));
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeBytes(new byte[] {(byte) 0xC0, (byte) 0x80}); // overlong NUL: not UTF-8
        assertThat(reasonOf(LogCodec.decodeAgentEvent(out.toByteArray()))).isEqualTo(Failure.Reason.INVALID_UTF8);
    }

    @Test
    void anIdTheDomainRefuses() {
        AgentEvent.DeviceRegistered ok = Samples.deviceRegistered();
        byte[] bytes = LogCodec.encode(ok);
        // Replace the first byte of the host id ("hv-rack07-12") with a space: same length, bad id.
        int at = indexOf(bytes, "hv-rack07-12".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes[at] = ' ';
        Decoded<AgentEvent> d = LogCodec.decodeAgentEvent(bytes);
        assertThat(reasonOf(d)).isEqualTo(Failure.Reason.INVALID_VALUE);
        assertThat(detailOf(d)).contains("HostId");
    }

    @Test
    void tooLarge() {
        byte[] big = new byte[SingleObject.MAX_MESSAGE_BYTES + 1];
        big[0] = (byte) 0xC3;
        big[1] = 0x01;
        assertThat(reasonOf(LogCodec.decodeAgentEvent(big))).isEqualTo(Failure.Reason.TOO_LARGE);
    }

    @Test
    void noVfoSchemaHasCollectionItemsThatEncodeToNothing() {
        // EncodingCheck bounds a collection's item count by the bytes left, which is sound only
        // when every item takes at least one byte.
        List<String> offenders = new ArrayList<>();
        SchemaSet.namedTypes(SchemaSet.standard().current()).values().forEach(s -> {
            if (s.getType() == Schema.Type.RECORD) {
                s.getFields().forEach(f -> {
                    if (f.schema().getType() == Schema.Type.ARRAY
                            && EncodingCheck.encodesToNothing(f.schema().getElementType())) {
                        offenders.add(s.getFullName() + "." + f.name());
                    }
                });
            }
        });
        assertThat(offenders).isEmpty();
    }

    // ---- crafting bytes ----

    private static byte[] deviceRegisteredWithStateIndex(int index) {
        ByteArrayOutputStream out = headerOf(LogCodec.encode(Samples.deviceRegistered()));
        out.writeBytes(bodyOfDeviceRegistered(index));
        return out.toByteArray();
    }

    /** DeviceRegistered's fields in schema order, with a raw enum index for state. */
    private static byte[] bodyOfDeviceRegistered(int stateIndex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            e.writeString("hv-1");
            e.writeString("agent-1");
            e.writeString("vm-1");
            e.writeString("dev-1");
            e.writeLong(1);
            e.writeLong(1_000_000_000L);
            e.writeString("0000:3b:00.1");
            e.writeString("mlx5_vfio_pci");
            e.writeString("15b3:101e");
            e.writeLong(7);
            e.writeLong(1024);
            e.writeInt(stateIndex);
            e.writeString("10.0.0.1:7443");
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        return out.toByteArray();
    }

    private static ByteArrayOutputStream headerOf(byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(encoded, 0, SingleObject.HEADER_BYTES);
        return out;
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        try {
            EncoderFactory.get().directBinaryEncoder(out, null).writeLong(v);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
