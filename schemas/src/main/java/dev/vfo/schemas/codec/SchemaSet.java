package dev.vfo.schemas.codec;

import dev.vfo.schemas.avro.command.AbortMigration;
import dev.vfo.schemas.avro.command.AcceptDataTransfer;
import dev.vfo.schemas.avro.command.ResetDevice;
import dev.vfo.schemas.avro.command.StartDataTransfer;
import dev.vfo.schemas.avro.command.TransitionDevice;
import dev.vfo.schemas.avro.event.AgentHeartbeat;
import dev.vfo.schemas.avro.event.DataTransferCompleted;
import dev.vfo.schemas.avro.event.DataTransferFailed;
import dev.vfo.schemas.avro.event.DataTransferProgress;
import dev.vfo.schemas.avro.event.DeviceRegistered;
import dev.vfo.schemas.avro.event.DeviceStateChanged;
import dev.vfo.schemas.avro.event.PreCopyProgress;
import dev.vfo.schemas.avro.event.TransitionFailed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Every schema the log has ever used: the current top-level record schemas (the generated
 * classes) and every frozen released version of them, shipped in this jar under
 * {@value #HISTORY}. Decoders look writer schemas up here by fingerprint, so a record written by
 * any released version decodes into the current classes.
 *
 * <p>Loading this class also tells Avro 1.12 to trust the generated classes (its
 * {@code ClassSecurityValidator} refuses to instantiate classes outside trusted packages), so no
 * process needs {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 */
public final class SchemaSet {

    /** Resource folder of the frozen schemas: {@code vN/<full name>.avsc}, listed in {@code index.txt}. */
    public static final String HISTORY = "dev/vfo/schemas/history/";

    private static final List<Schema> CURRENT = List.of(
            DeviceRegistered.getClassSchema(),
            DeviceStateChanged.getClassSchema(),
            TransitionFailed.getClassSchema(),
            PreCopyProgress.getClassSchema(),
            DataTransferProgress.getClassSchema(),
            DataTransferCompleted.getClassSchema(),
            DataTransferFailed.getClassSchema(),
            AgentHeartbeat.getClassSchema(),
            TransitionDevice.getClassSchema(),
            StartDataTransfer.getClassSchema(),
            AcceptDataTransfer.getClassSchema(),
            ResetDevice.getClassSchema(),
            AbortMigration.getClassSchema(),
            dev.vfo.schemas.avro.saga.MigrationRequested.getClassSchema(),
            dev.vfo.schemas.avro.saga.CancelRequested.getClassSchema(),
            dev.vfo.schemas.avro.saga.DeviceReported.getClassSchema(),
            dev.vfo.schemas.avro.saga.TimerFired.getClassSchema(),
            dev.vfo.schemas.avro.saga.EpochBegan.getClassSchema(),
            dev.vfo.schemas.avro.saga.InputIgnored.getClassSchema(),
            dev.vfo.schemas.avro.saga.PlanAccepted.getClassSchema(),
            dev.vfo.schemas.avro.saga.PlanRejected.getClassSchema(),
            dev.vfo.schemas.avro.saga.PhaseEntered.getClassSchema(),
            dev.vfo.schemas.avro.saga.BarrierReached.getClassSchema(),
            dev.vfo.schemas.avro.saga.SwitchoverDecided.getClassSchema(),
            dev.vfo.schemas.avro.saga.CommandIssued.getClassSchema(),
            dev.vfo.schemas.avro.saga.RollbackStarted.getClassSchema(),
            dev.vfo.schemas.avro.saga.MigrationCompleted.getClassSchema(),
            dev.vfo.schemas.avro.saga.MigrationRolledBack.getClassSchema(),
            dev.vfo.schemas.avro.saga.MigrationFailed.getClassSchema(),
            dev.vfo.schemas.avro.saga.LogEntry.getClassSchema(),
            dev.vfo.schemas.avro.request.StartMigration.getClassSchema(),
            dev.vfo.schemas.avro.request.CancelMigration.getClassSchema(),
            dev.vfo.schemas.avro.snapshot.SagaSnapshot.getClassSchema());

    private static final SchemaSet STANDARD;

    static {
        trust(CURRENT);
        STANDARD = new SchemaSet(CURRENT, loadHistory());
    }

    private final List<Schema> current;
    private final SortedMap<Integer, List<Schema>> history;
    private final Map<Long, Schema> writers = new HashMap<>();
    private final Map<String, Schema> currentByName = new HashMap<>();

    SchemaSet(List<Schema> current, SortedMap<Integer, List<Schema>> history) {
        this.current = List.copyOf(current);
        SortedMap<Integer, List<Schema>> h = new TreeMap<>();
        history.forEach((v, s) -> h.put(v, List.copyOf(s)));
        this.history = Collections.unmodifiableSortedMap(h);
        h.values().forEach(list -> list.forEach(s -> writers.put(fingerprint(s), s)));
        for (Schema s : this.current) {
            writers.put(fingerprint(s), s);
            currentByName.put(s.getFullName(), s);
        }
    }

    /** The schemas of this build and of every frozen version. */
    public static SchemaSet standard() {
        return STANDARD;
    }

    /** The current schema of every top-level record type. */
    public List<Schema> current() {
        return current;
    }

    /** Frozen released schemas by version (1, 2, ...). */
    public SortedMap<Integer, List<Schema>> history() {
        return history;
    }

    /** The writer schema with this CRC-64-AVRO fingerprint, current or historical. */
    public Optional<Schema> writer(long fingerprint) {
        return Optional.ofNullable(writers.get(fingerprint));
    }

    /** The current schema of the top-level type with this full name. */
    public Optional<Schema> current(String fullName) {
        return Optional.ofNullable(currentByName.get(fullName));
    }

    /** The single-object encoding's fingerprint: CRC-64-AVRO of the parsing canonical form. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Every named type (record, enum, fixed) reachable from these schemas, by full name. */
    static Map<String, Schema> namedTypes(List<Schema> schemas) {
        Map<String, Schema> named = new LinkedHashMap<>();
        schemas.forEach(s -> collect(s, named));
        return named;
    }

    private static void collect(Schema s, Map<String, Schema> named) {
        switch (s.getType()) {
            case RECORD:
                if (named.putIfAbsent(s.getFullName(), s) == null) {
                    s.getFields().forEach(f -> collect(f.schema(), named));
                }
                return;
            case ENUM:
            case FIXED:
                named.putIfAbsent(s.getFullName(), s);
                return;
            case ARRAY:
                collect(s.getElementType(), named);
                return;
            case MAP:
                collect(s.getValueType(), named);
                return;
            case UNION:
                s.getTypes().forEach(t -> collect(t, named));
                return;
            default:
        }
    }

    /** Trusts exactly the generated classes (by class name: Avro's builder does not take packages). */
    private static void trust(List<Schema> schemas) {
        ClassSecurityValidator.Builder trusted = ClassSecurityValidator.builder();
        namedTypes(schemas).values().forEach(s -> trusted.add(SpecificData.getClassName(s)));
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), trusted.build()));
    }

    private static SortedMap<Integer, List<Schema>> loadHistory() {
        SortedMap<Integer, List<Schema>> versions = new TreeMap<>();
        for (String entry : lines(HISTORY + "index.txt")) {
            int slash = entry.indexOf('/');
            if (!entry.startsWith("v") || slash < 2) {
                throw new IllegalStateException("bad history index entry '" + entry + "'");
            }
            int version = Integer.parseInt(entry.substring(1, slash));
            Schema schema;
            try (InputStream in = resource(HISTORY + entry)) {
                schema = new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read frozen schema " + entry, e);
            }
            versions.computeIfAbsent(version, v -> new ArrayList<>()).add(schema);
        }
        return versions;
    }

    private static List<String> lines(String name) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return out;
    }

    private static InputStream resource(String name) {
        InputStream in = SchemaSet.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is missing from the schemas jar");
        }
        return in;
    }
}
