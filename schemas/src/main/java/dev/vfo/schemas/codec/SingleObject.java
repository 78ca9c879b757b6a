package dev.vfo.schemas.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
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

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private final SchemaSet schemas;
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

    /**
     * Decoding per writer fingerprint (see {@link #reading}): open-addressed by fingerprint and
     * replaced whole when a fingerprint is first seen, so readers never lock.
     */
    private volatile Reading[] table = new Reading[64];
    /** Guarded by {@code this}. */
    private int cached;

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
        return decode(bytes, 0, bytes == null ? 0 : bytes.length, expected, Decoded::ok, false, null);
    }

    /**
     * Decodes the single-object encoding at {@code bytes[offset, offset + length)} (a nested record
     * is read where it lies, not copied out first) as {@link #decode(byte[], Set)} does, and hands
     * the record to {@code toDomain}. The record is one this thread reads every record of its type
     * into (building a fresh Avro record, its buffers and its fixed values for each one was a large
     * part of what decoding allocated), so {@code toDomain} must copy what it keeps and never let
     * the record escape: the mappings build domain values from the fields, immutable or copied.
     */
    <T> Decoded<T> decodeInto(byte[] bytes, int offset, int length, Set<String> expected,
            Function<SpecificRecord, Decoded<T>> toDomain) {
        return decode(bytes, offset, length, expected, toDomain, true, null);
    }

    /**
     * As {@link #decodeInto}, except that a datum whose writer fingerprint {@code direct} has a
     * reader for is read by that reader, straight from the bytes the walk accepted, without Avro.
     */
    <T> Decoded<T> decodeInto(byte[] bytes, int offset, int length, Set<String> expected,
            Function<SpecificRecord, Decoded<T>> toDomain, LongFunction<DirectReader<T>> direct) {
        return decode(bytes, offset, length, expected, toDomain, true, direct);
    }

    /**
     * Reads one datum of a known writer schema from {@code bytes[start, end)}, which the walk has
     * proven to be exactly one valid datum of it: for the few record types read so often that
     * Avro's generic reader is most of their cost. Its result must equal the Avro path's.
     */
    interface DirectReader<T> {
        Decoded<T> read(byte[] bytes, int start, int end);
    }

    private <T> Decoded<T> decode(byte[] bytes, int offset, int length, Set<String> expected,
            Function<SpecificRecord, Decoded<T>> then, boolean reuse, LongFunction<DirectReader<T>> direct) {
        if (bytes == null || length == 0) {
            return Decoded.failed(Failure.Reason.EMPTY, "no bytes");
        }
        if (length > MAX_MESSAGE_BYTES) {
            return Decoded.failed(Failure.Reason.TOO_LARGE, length + " bytes, limit " + MAX_MESSAGE_BYTES);
        }
        if (bytes[offset] != MARKER_0 || (length > 1 && bytes[offset + 1] != MARKER_1)) {
            return Decoded.failed(Failure.Reason.WRONG_MARKER, String.format("starts with %02X %s, expected C3 01",
                    bytes[offset] & 0xff, length > 1 ? String.format("%02X", bytes[offset + 1] & 0xff) : "(end)"));
        }
        if (length < HEADER_BYTES) {
            return Decoded.failed(Failure.Reason.TRUNCATED, length + " bytes, the header alone is " + HEADER_BYTES);
        }
        long fp = 0;
        for (int i = 0; i < 8; i++) {
            fp |= (bytes[offset + 2 + i] & 0xffL) << (8 * i);
        }
        Reading reading = reading(fp);
        if (reading == null) {
            return Decoded.failed(Failure.Reason.UNKNOWN_FINGERPRINT, String.format(
                    "fingerprint %016X is no schema this build knows (written by a newer version?)", fp));
        }
        if (!reading.admits(expected)) {
            return Decoded.failed(Failure.Reason.UNEXPECTED_TYPE, reading.name + " does not belong here; expected one of "
                    + expected);
        }
        int start = offset + HEADER_BYTES;
        int end = offset + length;
        Optional<Failure> malformed = EncodingCheck.check(reading.program, reading.writer, bytes, offset, start, end);
        if (malformed.isPresent()) {
            return new Decoded.Failed<>(malformed.get());
        }
        DirectReader<T> reader = direct == null ? null : direct.apply(fp);
        if (reader != null) {
            return reader.read(bytes, start, end);
        }
        Scratch scratch = this.scratch.get();
        // Avro re-initialises the decoder: no decode on this thread is in progress here, a nested
        // one (a log entry's event) starts only after this one has read its record.
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, start, end - start, scratch.decoder);
        scratch.decoder = decoder;
        int slot = reading.slot;
        // Not while a record of the same type is still being mapped further up this thread's stack.
        boolean reusing = reuse && !scratch.busy(slot);
        SpecificRecord record;
        try {
            record = reading.datumReader.read(reusing ? scratch.records[slot] : null, decoder);
            if (!decoder.isEnd()) {
                return Decoded.failed(Failure.Reason.TRAILING_BYTES, "bytes left after " + reading.name);
            }
        } catch (IOException | RuntimeException e) {
            // The bytes are a valid encoding of the writer schema (checked above), so what is left
            // is resolution: a writer symbol or branch the current schema cannot take.
            return Decoded.failed(Failure.Reason.INCOMPATIBLE_SCHEMA, reading.name + " written with schema "
                    + String.format("%016X", fp) + ": " + e);
        }
        if (!reusing) {
            return then.apply(record);
        }
        scratch.records[slot] = record;
        scratch.busy[slot] = true;
        try {
            return then.apply(record);
        } finally {
            scratch.busy[slot] = false;
        }
    }

    /** One thread's decoder and the records it reads into, by {@link Reading#slot}. */
    private static final class Scratch {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(new byte[0], null);
        SpecificRecord[] records = new SpecificRecord[0];
        boolean[] busy = new boolean[0];

        /** Whether slot's record is in use; grows the arrays to hold the slot. */
        boolean busy(int slot) {
            if (slot >= records.length) {
                records = java.util.Arrays.copyOf(records, slot + 16);
                busy = java.util.Arrays.copyOf(busy, slot + 16);
            }
            return busy[slot];
        }
    }

    /**
     * What decoding a writer fingerprint needs, worked out on its first record: looking up the
     * schemas, the reader and the type check per record was a tenth of the audit's decoding.
     * Null for a fingerprint no known schema has (never cached: garbage must not fill the table).
     */
    private Reading reading(long fp) {
        Reading[] t = table;
        for (int i = (int) fp & (t.length - 1);; i = (i + 1) & (t.length - 1)) {
            Reading r = t[i];
            if (r == null) {
                break;
            }
            if (r.fingerprint == fp) {
                return r;
            }
        }
        Optional<Schema> writer = schemas.writer(fp);
        if (writer.isEmpty()) {
            return null;
        }
        synchronized (this) {
            for (Reading old : table) {
                if (old != null && old.fingerprint == fp) {
                    return old; // another thread got here first: one slot per fingerprint
                }
            }
            Reading r = new Reading(fp, cached, writer.get(), schemas.current(writer.get().getFullName()).orElse(null));
            Reading[] grown = new Reading[Math.max(table.length, Integer.highestOneBit(4 * (cached + 1)))];
            for (Reading old : table) {
                if (old != null) {
                    put(grown, old);
                }
            }
            put(grown, r);
            cached++;
            table = grown;
            return r;
        }
    }

    private static void put(Reading[] t, Reading r) {
        int i = (int) r.fingerprint & (t.length - 1);
        while (t[i] != null) {
            i = (i + 1) & (t.length - 1);
        }
        t[i] = r;
    }

    /** One writer schema's decoding: its compiled walk, its name, and the reader into the current class. */
    private static final class Reading {
        final long fingerprint;
        /** Where each thread keeps the record it reads this type into. */
        final int slot;
        final Schema writer;
        final String name;
        final EncodingCheck.Program program;
        /** Null when this build has no current class for the writer's type; such a record is never admitted. */
        final SpecificDatumReader<SpecificRecord> datumReader;
        /** The last expected set asked about and the answer: each call site passes one constant set. */
        private volatile Admission last = new Admission(Set.of(), false);

        Reading(long fingerprint, int slot, Schema writer, Schema current) {
            this.fingerprint = fingerprint;
            this.slot = slot;
            this.writer = writer;
            this.name = writer.getFullName();
            this.program = EncodingCheck.Program.compile(writer);
            this.datumReader = current == null ? null
                    : new SpecificDatumReader<>(writer, current, SpecificData.getForSchema(current));
        }

        boolean admits(Set<String> expected) {
            Admission a = last;
            if (a.expected != expected) {
                a = new Admission(expected, datumReader != null && expected.contains(name));
                last = a;
            }
            return a.admitted;
        }
    }

    private record Admission(Set<String> expected, boolean admitted) {}
}
