package dev.vfo.schemas.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Exports log records to a standard Avro Object Container File and reads them back: the
 * interchange format for audits and for tools in any language.
 *
 * <p>Each file record ({@value #RECORD_NAME}) holds the origin (topic, partition, offset,
 * timestamp), the key and value bytes exactly as in the log (so hash chains still verify from an
 * archive and re-import is lossless), and, for any Avro reader without vfo's code, the value
 * decoded: {@code valueType} names its schema and {@code decoded} holds it as a structured record
 * (a union of every current vfo record type; null when the value did not decode). For coordinator
 * log entries {@code entryEvent} also holds the saga event decoded from the envelope; {@code headers}
 * holds the record's Kafka headers (a dead letter's origin and reason). The schema is
 * embedded in the file, as the OCF format requires, so no schema needs to be shipped alongside.
 */
public final class LogArchive {

    public static final String RECORD_NAME = "dev.vfo.schemas.archive.ArchivedRecord";

    /** Header metadata: how many records the archive holds. */
    public static final String COUNT = "vfo.records";

    /** Declared before SCHEMA, which uses it. */
    private static final Schema HEADER = SchemaBuilder.record("dev.vfo.schemas.archive.ArchivedHeader")
            .doc("One Kafka header of an exported record.").fields()
            .requiredString("key")
            .name("value").type().optional().bytesType()
            .endRecord();

    private static final SingleObject WIRE = new SingleObject(SchemaSet.standard());
    private static final Schema SCHEMA = schemaOf(SchemaSet.standard());
    private static final java.util.Set<String> ALL_TYPES = java.util.Set.copyOf(
            SchemaSet.standard().current().stream().map(Schema::getFullName).collect(java.util.stream.Collectors.toList()));
    private static final String LOG_ENTRY = dev.vfo.schemas.avro.saga.LogEntry.getClassSchema().getFullName();

    private LogArchive() {}

    /** The schema of one archived record (also embedded in every archive file). */
    public static Schema schema() {
        return SCHEMA;
    }

    private static Schema schemaOf(SchemaSet schemas) {
        List<Schema> decoded = new ArrayList<>();
        decoded.add(Schema.create(Schema.Type.NULL));
        decoded.addAll(schemas.current());
        List<Schema> events = new ArrayList<>();
        events.add(Schema.create(Schema.Type.NULL));
        schemas.current().stream().filter(s -> SagaMapping.TYPES.contains(s.getFullName())).forEach(events::add);
        Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        return SchemaBuilder.record(RECORD_NAME).doc("One Kafka record of a vfo topic, exported.").fields()
                .requiredString("topic")
                .requiredInt("partition")
                .requiredLong("offset")
                .name("timestamp").type(millis).noDefault()
                .name("key").doc("The key bytes as in the log.").type().optional().bytesType()
                .name("value").doc("The value bytes as in the log (Avro single-object encoding).").type().optional()
                .bytesType()
                .name("valueType").doc("Full name of the value's schema; null if it did not decode.").type().optional()
                .stringType()
                .name("decoded").doc("The value, decoded.").type(Schema.createUnion(decoded)).withDefault(null)
                .name("entryEvent").doc("For coordinator-log entries: the saga event inside.")
                .type(Schema.createUnion(events)).withDefault(null)
                // Added after the first archives: optional with a null default, so archives without it
                // still read (as no headers) and old readers skip it. A dead letter's origin is here.
                .name("headers").doc("The record's Kafka headers in order; null when it had none.")
                .type(Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.createArray(HEADER)))
                .withDefault(null)
                .endRecord();
    }

    /**
     * Writes {@code records} as an OCF (deflate-compressed) to {@code out}; closes nothing the caller
     * owns. The record count goes into the header ({@value #COUNT}): Avro's readers stop silently at
     * a cut-off block, and an audit must notice a truncated archive.
     */
    public static void write(java.util.Collection<LoggedRecord> records, OutputStream out) throws IOException {
        try (Writer w = writer(records.size(), out)) {
            for (LoggedRecord r : records) {
                w.append(r);
            }
        }
    }

    /**
     * An archive written record by record, whose header says {@code count} records: an export of a
     * whole cluster's log without holding it. {@link Writer#close} throws {@link IOException} when
     * the records appended were not exactly {@code count} (the header would lie).
     */
    public static Writer writer(long count, OutputStream out) throws IOException {
        return new Writer(count, out);
    }

    /** See {@link #writer}. Not thread-safe. */
    public static final class Writer implements java.io.Closeable {
        private final long count;
        private final DataFileWriter<GenericRecord> file;
        private long written;

        private Writer(long count, OutputStream out) throws IOException {
            SpecificData model = new SpecificData();
            model.addLogicalTypeConversion(new TimeConversions.TimestampNanosConversion());
            this.count = count;
            this.file = new DataFileWriter<>(new SpecificDatumWriter<>(SCHEMA, model));
            file.setCodec(CodecFactory.deflateCodec(6));
            file.setMeta("vfo.format", "vfo log archive 1");
            file.setMeta(COUNT, count);
            file.create(SCHEMA, new NonClosing(out));
        }

        public void append(LoggedRecord r) throws IOException {
            file.append(toArchived(r));
            written++;
        }

        @Override
        public void close() throws IOException {
            file.close();
            if (written != count) {
                throw new IOException("archive header says " + count + " records but " + written + " were written");
            }
        }
    }

    private static GenericRecord toArchived(LoggedRecord r) {
        GenericData.Record a = new GenericData.Record(SCHEMA);
        a.put("topic", r.topic());
        a.put("partition", r.partition());
        a.put("offset", r.offset());
        a.put("timestamp", r.timestamp());
        a.put("key", r.key().map(ByteBuffer::wrap).orElse(null));
        a.put("value", r.value().map(ByteBuffer::wrap).orElse(null));
        if (!r.headers().isEmpty()) {
            List<GenericRecord> headers = new ArrayList<>();
            for (LoggedRecord.Header h : r.headers()) {
                GenericData.Record header = new GenericData.Record(HEADER);
                header.put("key", h.key());
                header.put("value", h.value().map(ByteBuffer::wrap).orElse(null));
                headers.add(header);
            }
            a.put("headers", headers);
        }
        Optional<SpecificRecord> decoded = r.value().flatMap(v -> ok(WIRE.decode(v, ALL_TYPES)));
        decoded.ifPresent(d -> {
            a.put("valueType", d.getSchema().getFullName());
            a.put("decoded", d);
            if (d.getSchema().getFullName().equals(LOG_ENTRY)) {
                ByteBuffer event = ((dev.vfo.schemas.avro.saga.LogEntry) d).getEvent();
                byte[] bytes = new byte[event.remaining()];
                event.duplicate().get(bytes);
                ok(WIRE.decode(bytes, SagaMapping.TYPES)).ifPresent(e -> a.put("entryEvent", e));
            }
        });
        return a;
    }

    private static Optional<SpecificRecord> ok(Decoded<SpecificRecord> d) {
        return d instanceof Decoded.Ok ? Optional.of(d.orElseThrow()) : Optional.empty();
    }

    /**
     * Reads an archive back (any vfo version's archive: fields are read by name with the file's own
     * schema). Throws {@link IOException} for a file that is not a readable archive.
     */
    public static List<LoggedRecord> read(InputStream in) throws IOException {
        List<LoggedRecord> out = new ArrayList<>();
        forEach(in, out::add);
        return out;
    }

    /**
     * Streams an archive's records to {@code sink} in file order, holding one block at a time (an
     * audit of an archive of any size); returns the count. Same checks as {@link #read}; a
     * truncation is noticed at the end, after the readable records were passed on.
     */
    public static long forEach(InputStream in, java.util.function.Consumer<LoggedRecord> sink) throws IOException {
        long seen = 0;
        try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new NonClosingInput(in),
                new GenericDatumReader<>())) {
            if (!stream.getSchema().getFullName().equals(RECORD_NAME)) {
                throw new IOException("not a vfo log archive: records are " + stream.getSchema().getFullName());
            }
            long expected = stream.getMetaLong(COUNT);
            GenericRecord r = null;
            while (stream.hasNext()) {
                r = stream.next(r);
                sink.accept(new LoggedRecord(r.get("topic").toString(), (Integer) r.get("partition"),
                        (Long) r.get("offset"), (Long) r.get("timestamp"), bytes(r.get("key")), bytes(r.get("value")),
                        headers(r)));
                seen++;
            }
            if (seen != expected) {
                throw new IOException("truncated vfo log archive: its header says " + expected + " records, "
                        + seen + " were readable");
            }
        } catch (RuntimeException e) {
            throw new IOException("not a readable vfo log archive: " + e, e);
        }
        return seen;
    }

    /** Archives written before headers were exported have no such field: no headers. */
    private static List<LoggedRecord.Header> headers(GenericRecord r) {
        if (r.getSchema().getField("headers") == null || r.get("headers") == null) {
            return List.of();
        }
        List<LoggedRecord.Header> out = new ArrayList<>();
        for (Object h : (java.util.Collection<?>) r.get("headers")) {
            GenericRecord header = (GenericRecord) h;
            out.add(new LoggedRecord.Header(header.get("key").toString(), bytes(header.get("value"))));
        }
        return out;
    }

    private static Optional<byte[]> bytes(Object field) {
        if (field == null) {
            return Optional.empty();
        }
        ByteBuffer b = (ByteBuffer) field;
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return Optional.of(out);
    }

    /** The caller owns the stream; the OCF writer must not close it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static final class NonClosingInput extends java.io.FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller closes
        }
    }
}
