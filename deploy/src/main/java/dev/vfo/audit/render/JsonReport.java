package dev.vfo.audit.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vfo.audit.AuditReport;
import dev.vfo.audit.AuditViolation;
import dev.vfo.audit.MigrationReport;
import dev.vfo.audit.QuarantinedRecord;
import dev.vfo.audit.RecordRef;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** The report as one JSON document (Jackson's streaming generator, already on the classpath via Avro). */
public final class JsonReport {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonReport() {}

    public static void write(AuditReport r, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeBooleanField("ok", r.ok());
            g.writeStringField("auditedAt", r.auditedAt().toString());
            g.writeNumberField("records", r.records());
            g.writeObjectFieldStart("recordsPerTopic");
            for (Map.Entry<String, Long> e : r.recordsPerTopic().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("deadLetters", r.deadLetters());
            g.writeNumberField("vms", r.vms());
            g.writeNumberField("devices", r.devices());
            g.writeNumberField("chainEntries", r.chainEntries());
            g.writeBooleanField("decisionsRederived", r.replayed());
            g.writeArrayFieldStart("migrations");
            for (MigrationReport m : r.migrations()) {
                migration(g, m);
            }
            g.writeEndArray();
            g.writeNumberField("violationCount", r.violationCount());
            g.writeArrayFieldStart("violations");
            for (AuditViolation v : r.violations()) {
                g.writeStartObject();
                g.writeStringField("rule", v.rule().name());
                g.writeStringField("vm", v.vm().map(Object::toString).orElse(null));
                g.writeStringField("device", v.device().map(Object::toString).orElse(null));
                g.writeArrayFieldStart("records");
                for (RecordRef ref : v.records()) {
                    ref(g, ref);
                }
                g.writeEndArray();
                g.writeStringField("message", v.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("quarantinedCount", r.quarantinedCount());
            g.writeArrayFieldStart("quarantined");
            for (QuarantinedRecord q : r.quarantined()) {
                g.writeStartObject();
                g.writeFieldName("record");
                ref(g, q.record());
                g.writeStringField("vm", q.vm().map(Object::toString).orElse(null));
                g.writeFieldName("deadLetter");
                ref(g, q.letter());
                g.writeStringField("reason", q.reason());
                g.writeStringField("finding", q.finding());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void ref(JsonGenerator g, RecordRef ref) throws IOException {
        g.writeStartObject();
        g.writeStringField("topic", ref.topic());
        g.writeNumberField("partition", ref.partition());
        g.writeNumberField("offset", ref.offset());
        g.writeEndObject();
    }

    private static void marks(JsonGenerator g, String field, String name, java.util.List<MigrationReport.Mark> marks)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (MigrationReport.Mark m : marks) {
            g.writeStartObject();
            g.writeStringField(name, m.name());
            g.writeStringField("at", m.at().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void migration(JsonGenerator g, MigrationReport m) throws IOException {
        g.writeStartObject();
        g.writeStringField("migration", m.migration().toString());
        g.writeStringField("vm", m.vm().toString());
        g.writeStringField("source", m.source().toString());
        g.writeStringField("destination", m.destination().toString());
        g.writeStringField("outcome", m.outcome().name());
        g.writeStringField("verdict", m.ok() ? "OK" : "VIOLATED");
        g.writeStringField("reason", m.reason());
        g.writeStringField("start", m.start().toString());
        g.writeStringField("end", m.end().map(Object::toString).orElse(null));
        g.writeNumberField("durationMillis", m.duration().toMillis());
        if (m.downtime().isPresent()) {
            g.writeNumberField("downtimeMillis", m.downtime().get().toMillis());
        }
        g.writeNumberField("bytes", m.bytes());
        g.writeNumberField("violations", m.violations());
        marks(g, "phases", "phase", m.phases());
        marks(g, "barriers", "barrier", m.barriers());
        g.writeArrayFieldStart("devices");
        for (MigrationReport.Lane l : m.lanes()) {
            g.writeStartObject();
            g.writeStringField("device", l.device().toString());
            g.writeStringField("host", l.host().toString());
            g.writeStringField("role", l.source() ? "source" : "destination");
            g.writeNumberField("bytes", l.bytes());
            g.writeArrayFieldStart("states");
            for (MigrationReport.Band b : l.bands()) {
                g.writeStartObject();
                g.writeStringField("state", b.state().name());
                g.writeStringField("from", b.from().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
