package dev.vfo.bench.jmh;

import dev.vfo.bench.SampleRecords;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.avro.event.DeviceStateChanged;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.SchemaSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * LogCodec encode and decode per record, and one hash-chain append (encode + SHA-256), in ns. For
 * reference, the same bytes through Avro's generated single-object coder ({@code toByteBuffer},
 * {@code fromByteBuffer}), and the schema fingerprint alone: LogCodec computes it on every encode,
 * so the difference shows what the codec adds to plain Avro.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CodecBench {

    AgentEvent.DeviceStateChanged event;
    byte[] eventBytes;
    CoordinatorLogEntry entry;
    byte[] entryBytes;
    ChainHead head;
    SagaEvent.CommandIssued issued;
    DeviceStateChanged avroEvent;

    @Setup
    public void build() {
        event = SampleRecords.deviceStateChanged(4711, 3, 17);
        eventBytes = LogCodec.encode(event);
        entry = SampleRecords.commandIssuedEntry(4711);
        entryBytes = LogCodec.encode(entry);
        issued = (SagaEvent.CommandIssued) entry.event();
        head = new ChainHead(new VmId("vm-4711"), 41, HashChain.hash(entryBytes));
        try {
            avroEvent = DeviceStateChanged.fromByteBuffer(ByteBuffer.wrap(eventBytes));
        } catch (IOException e) {
            throw new UncheckedIOException("LogCodec's bytes are not Avro single-object bytes", e);
        }
    }

    @Benchmark
    public byte[] encodeDeviceStateChanged() {
        return LogCodec.encode(event);
    }

    @Benchmark
    public Decoded<AgentEvent> decodeDeviceStateChanged() {
        return LogCodec.decodeAgentEvent(eventBytes);
    }

    @Benchmark
    public byte[] encodeCommandIssuedEntry() {
        return LogCodec.encode(entry);
    }

    @Benchmark
    public Decoded<CoordinatorLogEntry> decodeCommandIssuedEntry() {
        return LogCodec.decodeLogEntry(entryBytes);
    }

    @Benchmark
    public ByteBuffer avroGeneratedEncodeDeviceStateChanged() throws IOException {
        return avroEvent.toByteBuffer();
    }

    @Benchmark
    public DeviceStateChanged avroGeneratedDecodeDeviceStateChanged() throws IOException {
        return DeviceStateChanged.fromByteBuffer(ByteBuffer.wrap(eventBytes));
    }

    @Benchmark
    public long schemaFingerprintDeviceStateChanged() {
        return SchemaSet.fingerprint(DeviceStateChanged.getClassSchema());
    }

    @Benchmark
    public HashChain.Appended hashChainAppend() {
        return HashChain.append(head, issued);
    }
}
