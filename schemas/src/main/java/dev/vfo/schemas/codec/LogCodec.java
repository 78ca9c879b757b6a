package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import java.util.Set;
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

    private static final SingleObject WIRE = new SingleObject(SchemaSet.standard());

    private LogCodec() {}

    /** Value bytes for topic {@code vfo.device-events}. */
    public static byte[] encode(AgentEvent event) {
        return encodeRecord(EventMapping.toAvro(event));
    }

    /** Value bytes for a {@code vfo.commands.<host>} topic. */
    public static byte[] encode(AgentCommand command) {
        return encodeRecord(CommandMapping.toAvro(command));
    }

    public static Decoded<AgentEvent> decodeAgentEvent(byte[] bytes) {
        return decode(bytes, EventMapping.TYPES, EventMapping::toDomain);
    }

    public static Decoded<AgentCommand> decodeAgentCommand(byte[] bytes) {
        return decode(bytes, CommandMapping.TYPES, CommandMapping::toDomain);
    }

    private static byte[] encodeRecord(SpecificRecord record) {
        try {
            return WIRE.encode(record);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("cannot encode " + record.getSchema().getName() + ": " + e.getMessage(), e);
        }
    }

    private static <T> Decoded<T> decode(byte[] bytes, Set<String> types, Function<SpecificRecord, T> toDomain) {
        return WIRE.decode(bytes, types).flatMap(record -> {
            try {
                return Decoded.ok(toDomain.apply(record));
            } catch (Refusal r) {
                return new Decoded.Failed<>(r.failure);
            } catch (IllegalArgumentException | NullPointerException e) {
                return Decoded.failed(Failure.Reason.INVALID_VALUE, record.getSchema().getName() + ": " + e.getMessage());
            }
        });
    }
}
