package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.schemas.avro.Sha256;
import dev.vfo.schemas.avro.saga.LogEntry;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one codec between core's domain records and the bytes on the log. Nothing else in vfo
 * touches Avro: producers call {@code encode}, consumers call a {@code decode...} method and get a
 * {@link Decoded} (never an exception for bad bytes).
 *
 * <p>Values are Avro single-object encodings (marker, schema fingerprint, datum); a record written
 * by any released schema version decodes into the current domain records.
 *
 * <p>Encoding throws {@link IllegalArgumentException} only for a domain value the wire format
 * cannot hold (an instant outside 1677..2262): a programming error, not bad input.
 */
public final class LogCodec {

    private static final Set<String> LOG_ENTRY = Set.of(LogEntry.getClassSchema().getFullName());
    private static final SingleObject WIRE = new SingleObject(SchemaSet.standard());

    private LogCodec() {}

    /** Value bytes for topic {@code vfo.device-events}. */
    public static byte[] encode(AgentEvent event) {
        return encodeRecord(() -> EventMapping.toAvro(event));
    }

    /** Value bytes for a {@code vfo.commands.<host>} topic. */
    public static byte[] encode(AgentCommand command) {
        return encodeRecord(() -> CommandMapping.toAvro(command));
    }

    /** A saga event alone (as nested in a coordinator-log entry). */
    public static byte[] encode(SagaEvent event) {
        return encodeRecord(() -> SagaMapping.toAvro(event));
    }

    /**
     * Value bytes for topic {@code vfo.coordinator-log}. Their SHA-256 is the entry's hash, which the
     * VM's next entry carries as {@code previous} (see {@code dev.vfo.schemas.chain.HashChain}).
     */
    public static byte[] encode(CoordinatorLogEntry entry) {
        return encodeRecord(() -> new LogEntry(entry.vm().value(), entry.sequence(),
                new Sha256(entry.previous().bytes()), ByteBuffer.wrap(encode(entry.event()))));
    }

    /** Value bytes for topic {@code vfo.requests}: a start request. */
    public static byte[] encode(SagaInput.Start start) {
        return encodeRecord(() -> RequestMapping.toAvro(start));
    }

    /** Value bytes for topic {@code vfo.requests}: a cancel request. */
    public static byte[] encode(SagaInput.Cancel cancel) {
        return encodeRecord(() -> RequestMapping.toAvro(cancel));
    }

    /** Value bytes for topic {@code vfo.snapshots} (key VM id). */
    public static byte[] encode(SagaSnapshot snapshot) {
        return encodeRecord(() -> SnapshotMapping.toAvro(snapshot));
    }

    public static Decoded<SagaSnapshot> decodeSnapshot(byte[] bytes) {
        return decode(bytes, SnapshotMapping.TYPES, SnapshotMapping::toDomain);
    }

    public static Decoded<SagaEvent> decodeSagaEvent(byte[] bytes) {
        return decode(bytes, SagaMapping.TYPES, SagaMapping::toDomain);
    }

    /** A coordinator-log entry with its event; fails if the event does not decode (see {@link #decodeChainLink}). */
    public static Decoded<CoordinatorLogEntry> decodeLogEntry(byte[] bytes) {
        return decodeLogEntry(bytes, null);
    }

    /**
     * As {@link #decodeLogEntry(byte[])}; an agent event inside the entry (a DeviceReported input)
     * that {@code recent} holds is not decoded again. For a reader of both the device events and
     * the coordinator log, such as the audit; {@code recent} may be null.
     */
    public static Decoded<CoordinatorLogEntry> decodeLogEntry(byte[] bytes, RecentAgentEvents recent) {
        return WIRE.decodeInto(bytes, 0, bytes == null ? 0 : bytes.length, LOG_ENTRY, domain(logEntry(recent)),
                fp -> fp == Envelopes.LOG_ENTRY ? (b, start, end) -> Envelopes.logEntry(b, start, recent) : null);
    }

    /** Avro's reading of a log entry, which {@link Envelopes}' must equal (tests compare the two). */
    static Decoded<CoordinatorLogEntry> decodeLogEntryWithAvro(byte[] bytes) {
        return decode(bytes, LOG_ENTRY, logEntry(null));
    }

    /** A saga event nested in a log entry, read where it lies. */
    static Decoded<SagaEvent> decodeNestedSagaEvent(byte[] bytes, int offset, int length, RecentAgentEvents recent) {
        return WIRE.decodeInto(bytes, offset, length, SagaMapping.TYPES,
                domain(s -> SagaMapping.toDomain(s, nested -> decodeNestedAgentEvent(nested, recent))),
                fp -> fp == Envelopes.DEVICE_REPORTED ? (b, start, end) -> Envelopes.deviceReported(b, start, recent)
                        : fp == Envelopes.COMMAND_ISSUED ? (b, start, end) -> Envelopes.commandIssued(b, start) : null);
    }

    /**
     * An agent event at {@code bytes[offset, offset + length)}; with a {@code recent}, taken from
     * it when it holds the same bytes, else decoded and remembered there.
     */
    static Decoded<AgentEvent> decodeNestedAgentEvent(byte[] bytes, int offset, int length, RecentAgentEvents recent) {
        if (recent == null) {
            return WIRE.decodeInto(bytes, offset, length, EventMapping.TYPES, domain(EventMapping::toDomain));
        }
        int hash = RecentAgentEvents.hash(bytes, offset, offset + length);
        AgentEvent known = recent.get(bytes, offset, offset + length, hash);
        if (known != null) {
            return Decoded.ok(known);
        }
        Decoded<AgentEvent> d = WIRE.decodeInto(bytes, offset, length, EventMapping.TYPES,
                domain(EventMapping::toDomain));
        if (d instanceof Decoded.Ok) {
            recent.put(bytes, offset, offset + length, hash, d.orElseThrow());
        }
        return d;
    }

    /** An agent command nested in a saga event, read where it lies. */
    static Decoded<AgentCommand> decodeNestedAgentCommand(byte[] bytes, int offset, int length) {
        return WIRE.decodeInto(bytes, offset, length, CommandMapping.TYPES, domain(CommandMapping::toDomain));
    }

    /** The Avro-read LogEntry to the domain entry; its event decoded by Avro too. */
    private static Function<SpecificRecord, CoordinatorLogEntry> logEntry(RecentAgentEvents recent) {
        Function<ByteBuffer, Decoded<AgentEvent>> events = nested -> decodeNestedAgentEvent(nested, recent);
        return r -> {
            LogEntry e = (LogEntry) r;
            Decoded<SagaEvent> d = decode(e.getEvent(), SagaMapping.TYPES, s -> SagaMapping.toDomain(s, events));
            if (d instanceof Decoded.Failed) {
                Failure f = ((Decoded.Failed<SagaEvent>) d).failure();
                throw new Refusal(f.reason(), "LogEntry.event: " + f.detail());
            }
            return new CoordinatorLogEntry(new VmId(e.getVm()), e.getSequence(), Digest.of(e.getPrevious().bytes()),
                    d.orElseThrow());
        };
    }

    /** Only the chain position of a coordinator-log entry: readable whatever event type it carries. */
    public static Decoded<ChainLink> decodeChainLink(byte[] bytes) {
        return decode(bytes, LOG_ENTRY, r -> {
            LogEntry e = (LogEntry) r;
            return new ChainLink(new VmId(e.getVm()), e.getSequence(), Digest.of(e.getPrevious().bytes()));
        });
    }

    /** A control-plane request: {@link SagaInput.Start} or {@link SagaInput.Cancel}. */
    public static Decoded<SagaInput> decodeRequest(byte[] bytes) {
        return decode(bytes, RequestMapping.TYPES, RequestMapping::toDomain);
    }

    public static Decoded<AgentEvent> decodeAgentEvent(byte[] bytes) {
        return decodeAgentEvent(bytes, null);
    }

    /**
     * As {@link #decodeAgentEvent(byte[])}, remembering the event in {@code recent} (or taking it
     * from there: the same bytes decode to the same value); {@code recent} may be null.
     */
    public static Decoded<AgentEvent> decodeAgentEvent(byte[] bytes, RecentAgentEvents recent) {
        return bytes == null ? decode(bytes, EventMapping.TYPES, EventMapping::toDomain)
                : decodeNestedAgentEvent(bytes, 0, bytes.length, recent);
    }

    public static Decoded<AgentCommand> decodeAgentCommand(byte[] bytes) {
        return decode(bytes, CommandMapping.TYPES, CommandMapping::toDomain);
    }

    private static byte[] encodeRecord(Supplier<SpecificRecord> mapping) {
        try {
            return WIRE.encode(mapping.get());
        } catch (ArithmeticException e) {
            // An Instant or Duration beyond what 64-bit nanoseconds hold.
            throw new IllegalArgumentException("cannot encode: " + e.getMessage(), e);
        }
    }

    /** An agent event nested in a saga event's bytes field. */
    static Decoded<AgentEvent> decodeNestedAgentEvent(ByteBuffer nested) {
        return decodeNestedAgentEvent(nested, null);
    }

    private static Decoded<AgentEvent> decodeNestedAgentEvent(ByteBuffer nested, RecentAgentEvents recent) {
        if (!nested.hasArray()) {
            return decode(nested, EventMapping.TYPES, EventMapping::toDomain);
        }
        return decodeNestedAgentEvent(nested.array(), nested.arrayOffset() + nested.position(), nested.remaining(),
                recent);
    }

    /** An agent command nested in a saga event's bytes field. */
    static Decoded<AgentCommand> decodeNestedAgentCommand(ByteBuffer nested) {
        return decode(nested, CommandMapping.TYPES, CommandMapping::toDomain);
    }

    private static <T> Decoded<T> decode(byte[] bytes, Set<String> types, Function<SpecificRecord, T> toDomain) {
        return WIRE.decodeInto(bytes, 0, bytes == null ? 0 : bytes.length, types, domain(toDomain));
    }

    /** Read where it lies in the enclosing record's buffer (Avro reads bytes into a heap buffer), not copied. */
    private static <T> Decoded<T> decode(ByteBuffer nested, Set<String> types, Function<SpecificRecord, T> toDomain) {
        if (!nested.hasArray()) {
            byte[] copy = new byte[nested.remaining()];
            nested.duplicate().get(copy);
            return decode(copy, types, toDomain);
        }
        return WIRE.decodeInto(nested.array(), nested.arrayOffset() + nested.position(), nested.remaining(), types,
                domain(toDomain));
    }

    /** The mapping as the decoder applies it: a value the domain refuses is a failure, not an exception. */
    private static <T> Function<SpecificRecord, Decoded<T>> domain(Function<SpecificRecord, T> toDomain) {
        return record -> {
            try {
                return Decoded.ok(toDomain.apply(record));
            } catch (Refusal r) {
                return new Decoded.Failed<>(r.failure);
            } catch (IllegalArgumentException | NullPointerException e) {
                return Decoded.failed(Failure.Reason.INVALID_VALUE, record.getSchema().getName() + ": " + e.getMessage());
            }
        };
    }
}
