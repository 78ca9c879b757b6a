package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.avro.saga.CommandIssued;
import dev.vfo.schemas.avro.saga.DeviceReported;
import dev.vfo.schemas.avro.saga.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import org.apache.avro.data.TimeConversions;

/**
 * The coordinator log's envelopes read straight from their bytes: the {@link LogEntry} around
 * every saga event, and the {@link DeviceReported} and {@link CommandIssued} events around most
 * of them. They are a few fields each, and Avro's generic reader (decoder set-up, a field setter
 * per field, boxing) was most of what decoding them cost; the audit reads one per record.
 *
 * <p>Only for the current writer schemas ({@link #reader}), and only after
 * {@link EncodingCheck} proved the bytes one valid datum of that schema, so no read here can run
 * past the end or meet a malformed varint. Any other writer version goes through Avro. The result,
 * failures included, equals the Avro path's ({@code DecoderFuzzTest}, {@code LogCodecTest}).
 */
final class Envelopes {

    static final long LOG_ENTRY = SchemaSet.fingerprint(LogEntry.getClassSchema());
    static final long DEVICE_REPORTED = SchemaSet.fingerprint(DeviceReported.getClassSchema());
    static final long COMMAND_ISSUED = SchemaSet.fingerprint(CommandIssued.getClassSchema());

    /** The conversion the generated classes apply to a timestamp-nanos field. */
    private static final TimeConversions.TimestampNanosConversion NANOS = new TimeConversions.TimestampNanosConversion();

    private Envelopes() {}

    /** LogEntry: string vm, long sequence, Sha256 previous, bytes event (a nested saga event). */
    static Decoded<CoordinatorLogEntry> logEntry(byte[] bytes, int start, RecentAgentEvents recent) {
        Datum d = new Datum(bytes, start);
        String vm = d.string();
        long sequence = d.varlong();
        byte[] previous = Arrays.copyOfRange(bytes, d.pos, d.pos + Digest.BYTES);
        d.pos += Digest.BYTES;
        int length = d.length();
        Decoded<SagaEvent> event = LogCodec.decodeNestedSagaEvent(bytes, d.pos, length, recent);
        if (event instanceof Decoded.Failed) {
            Failure f = ((Decoded.Failed<SagaEvent>) event).failure();
            return Decoded.failed(f.reason(), "LogEntry.event: " + f.detail());
        }
        return value("LogEntry", () -> new CoordinatorLogEntry(new VmId(vm), sequence, Digest.of(previous),
                event.orElseThrow()));
    }

    /** DeviceReported: bytes event (a nested agent event), timestamp-nanos at. */
    static Decoded<SagaEvent> deviceReported(byte[] bytes, int start, RecentAgentEvents recent) {
        Datum d = new Datum(bytes, start);
        int length = d.length();
        int event = d.pos;
        d.pos += length;
        Instant at = NANOS.fromLong(d.varlong(), null, null);
        Decoded<AgentEvent> e = LogCodec.decodeNestedAgentEvent(bytes, event, length, recent);
        if (e instanceof Decoded.Failed) {
            Failure f = ((Decoded.Failed<AgentEvent>) e).failure();
            return Decoded.failed(f.reason(), "DeviceReported.event: " + f.detail());
        }
        return value("DeviceReported", () -> new SagaEvent.DeviceReported(e.orElseThrow(), at));
    }

    /** CommandIssued: bytes command (a nested agent command). */
    static Decoded<SagaEvent> commandIssued(byte[] bytes, int start) {
        Datum d = new Datum(bytes, start);
        int length = d.length();
        Decoded<AgentCommand> c = LogCodec.decodeNestedAgentCommand(bytes, d.pos, length);
        if (c instanceof Decoded.Failed) {
            Failure f = ((Decoded.Failed<AgentCommand>) c).failure();
            return Decoded.failed(f.reason(), "CommandIssued.command: " + f.detail());
        }
        return value("CommandIssued", () -> new SagaEvent.CommandIssued(c.orElseThrow()));
    }

    /** A domain value the domain refuses is a failure named as the Avro path names it. */
    private static <T> Decoded<T> value(String record, Supplier<T> build) {
        try {
            return Decoded.ok(build.get());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Decoded.failed(Failure.Reason.INVALID_VALUE, record + ": " + e.getMessage());
        }
    }

    /** A cursor over a datum the walk already accepted. */
    private static final class Datum {
        private final byte[] bytes;
        int pos;

        Datum(byte[] bytes, int pos) {
            this.bytes = bytes;
            this.pos = pos;
        }

        long varlong() {
            long raw = 0;
            for (int shift = 0;; shift += 7) {
                int b = bytes[pos++] & 0xff;
                raw |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
        }

        int length() {
            return (int) varlong();
        }

        String string() {
            int n = length();
            String s = new String(bytes, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
