package dev.vfo.schemas.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding: marker {@code C3 01}, the writer schema's 8-byte little-endian
 * CRC-64-AVRO fingerprint, then the binary datum. The same bytes as the generated classes'
 * {@code toByteBuffer()}, so any Avro implementation with the schema can read them.
 *
 * <p>Decoding never throws for bad bytes: framing, fingerprint, structure ({@link EncodingCheck})
 * and schema resolution are each checked and reported as a {@link Failure}.
 */
final class SingleObject {

    /** No vfo record comes near this; anything larger is refused before it is looked at. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    static final int HEADER_BYTES = 10;
    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final SchemaSet schemas;
    /** Readers per writer fingerprint; Avro's datum readers are safe to share between threads. */
    private final Map<Long, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();
    /**
     * Fingerprints per writer schema. Computing one normalises and hashes the whole schema (about
     * 2.6 us, most of an encode, as the benchmark suite measured); a schema's never changes.
     */
    private final Map<Schema, Long> fingerprints = new ConcurrentHashMap<>();
    /**
     * Writers per writer schema. Building one (and looking up its SpecificData) per record was the
     * largest encode cost left in the coordinator loop's profile; a datum writer holds no per-write
     * state, so one per schema serves every thread.
     */
    private final Map<Schema, SpecificDatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();

    SingleObject(SchemaSet schemas) {
        this.schemas = schemas;
    }

    byte[] encode(SpecificRecord record) {
        Schema schema = record.getSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MARKER_0);
        out.write(MARKER_1);
        long fp = fingerprints.computeIfAbsent(schema, SchemaSet::fingerprint);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)));
        }
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, k -> new SpecificDatumWriter<>(k, SpecificData.getForSchema(k)))
                    .write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The fingerprint in a single-object header, or empty when {@code bytes} has no complete header. */
    static Optional<Long> fingerprint(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            return Optional.empty();
        }
        long fp = 0;
        for (int i = 0; i < 8; i++) {
            fp |= (bytes[2 + i] & 0xffL) << (8 * i);
        }
        return Optional.of(fp);
    }

    /** Decodes into the current class of the writer's type, if that type is one of {@code expected} (full names). */
    Decoded<SpecificRecord> decode(byte[] bytes, Set<String> expected) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.failed(Failure.Reason.EMPTY, "no bytes");
        }
        if (bytes.length > MAX_MESSAGE_BYTES) {
            return Decoded.failed(Failure.Reason.TOO_LARGE, bytes.length + " bytes, limit " + MAX_MESSAGE_BYTES);
        }
        if (bytes[0] != MARKER_0 || (bytes.length > 1 && bytes[1] != MARKER_1)) {
            return Decoded.failed(Failure.Reason.WRONG_MARKER, String.format("starts with %02X %s, expected C3 01",
                    bytes[0] & 0xff, bytes.length > 1 ? String.format("%02X", bytes[1] & 0xff) : "(end)"));
        }
        if (bytes.length < HEADER_BYTES) {
            return Decoded.failed(Failure.Reason.TRUNCATED, bytes.length + " bytes, the header alone is " + HEADER_BYTES);
        }
        long fp = fingerprint(bytes).orElseThrow();
        Optional<Schema> writer = schemas.writer(fp);
        if (writer.isEmpty()) {
            return Decoded.failed(Failure.Reason.UNKNOWN_FINGERPRINT, String.format(
                    "fingerprint %016X is no schema this build knows (written by a newer version?)", fp));
        }
        String name = writer.get().getFullName();
        Optional<Schema> reader = schemas.current(name);
        if (reader.isEmpty() || !expected.contains(name)) {
            return Decoded.failed(Failure.Reason.UNEXPECTED_TYPE, name + " does not belong here; expected one of "
                    + expected);
        }
        Optional<Failure> malformed = EncodingCheck.check(writer.get(), bytes, HEADER_BYTES, bytes.length);
        if (malformed.isPresent()) {
            return new Decoded.Failed<>(malformed.get());
        }
        SpecificDatumReader<SpecificRecord> datumReader = readers.computeIfAbsent(fp, k ->
                new SpecificDatumReader<>(writer.get(), reader.get(), SpecificData.getForSchema(reader.get())));
        // Reused per thread (Avro re-initialises it): no decode on this thread is in progress here,
        // a nested one (a log entry's event) starts only after this one has read its record.
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES,
                bytes.length - HEADER_BYTES, DECODERS.get());
        DECODERS.set(decoder);
        try {
            SpecificRecord record = datumReader.read(null, decoder);
            if (!decoder.isEnd()) {
                return Decoded.failed(Failure.Reason.TRAILING_BYTES, "bytes left after " + name);
            }
            return Decoded.ok(record);
        } catch (IOException | RuntimeException e) {
            // The bytes are a valid encoding of the writer schema (checked above), so what is left
            // is resolution: a writer symbol or branch the current schema cannot take.
            return Decoded.failed(Failure.Reason.INCOMPATIBLE_SCHEMA, name + " written with schema "
                    + String.format("%016X", fp) + ": " + e);
        }
    }
}
