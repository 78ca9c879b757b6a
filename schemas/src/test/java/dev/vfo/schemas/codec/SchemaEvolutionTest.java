package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The build-time registry: every current schema must read every frozen version of its type and be
 * readable by it (FULL_TRANSITIVE), so agents and coordinators of any released versions share the
 * log during a rolling upgrade, and an audit years later reads every record.
 */
class SchemaEvolutionTest {

    private final SchemaSet schemas = SchemaSet.standard();

    @Test
    void everyCurrentSchemaIsFullyCompatibleWithEveryFrozenVersion() {
        List<String> problems = new ArrayList<>();
        schemas.history().forEach((version, frozen) -> frozen.forEach(old ->
                schemas.current(old.getFullName()).ifPresentOrElse(
                        now -> problems.addAll(FullCompatibility.problems(now, old, "v" + version)),
                        () -> problems.add(old.getFullName() + " v" + version
                                + ": frozen but no longer a current type; old records would no longer decode"))));
        assertThat(problems).as("schema evolution problems").isEmpty();
    }

    @Test
    void theCheckReportsAnIncompatibleChangeReadably() {
        Schema v1 = schemas.current("dev.vfo.schemas.avro.event.DeviceRegistered").orElseThrow();
        // The classic mistake: a new field without a default. New readers cannot read old records.
        Schema broken = withExtraField(v1, "numaNode", SchemaBuilder.builder().intType(), null);
        List<String> problems = FullCompatibility.problems(broken, v1, "v1");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0))
                .contains("dev.vfo.schemas.avro.event.DeviceRegistered")
                .contains("current cannot read v1")
                .contains("numaNode")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void anEnumSymbolRemovedIsReportedInTheOtherDirection() {
        Schema state = dev.vfo.schemas.avro.MigrationState.getClassSchema();
        List<String> fewer = new ArrayList<>(state.getEnumSymbols());
        fewer.remove("PRE_COPY_P2P");
        Schema narrowed = Schema.createEnum(state.getName(), state.getDoc(), state.getNamespace(), fewer, null);
        // Without the UNKNOWN default a reader missing a symbol fails on it.
        List<String> problems = FullCompatibility.problems(narrowed, state, "v1");
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("current cannot read v1").contains("PRE_COPY_P2P"));
    }

    @Test
    void anOptionalFieldWithANullDefaultIsCompatibleBothWays() {
        Schema v1 = schemas.current("dev.vfo.schemas.avro.event.DeviceRegistered").orElseThrow();
        Schema added = withExtraField(v1, "numaNode",
                SchemaBuilder.unionOf().nullType().and().intType().endUnion(), org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(FullCompatibility.problems(added, v1, "v1")).isEmpty();
    }

    @Test
    void everyEnumDefaultsToUnknownSoNewSymbolsDegradeToARefusal() {
        List<String> missing = new ArrayList<>();
        SchemaSet.namedTypes(schemas.current()).values().stream()
                .filter(s -> s.getType() == Schema.Type.ENUM)
                .filter(s -> !"UNKNOWN".equals(s.getEnumDefault()) || !"UNKNOWN".equals(s.getEnumSymbols().get(0)))
                .forEach(s -> missing.add(s.getFullName()));
        assertThat(missing).as("enums without UNKNOWN as first symbol and default").isEmpty();
    }

    @Test
    void theHistoryIndexListsExactlyTheFrozenFiles() throws IOException {
        Path root = Path.of("src/main/resources").resolve(SchemaSet.HISTORY);
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(root)) {
            onDisk = files.filter(p -> p.toString().endsWith(".avsc"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().collect(Collectors.toList());
        }
        List<String> indexed = Files.readAllLines(root.resolve("index.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).sorted()
                .collect(Collectors.toList());
        assertThat(indexed).isEqualTo(onDisk);
        assertThat(schemas.history()).containsKey(1);
    }

    @Test
    void everyFrozenRecordOfVersion1StillDecodes() {
        // A record written with the frozen v1 schema resolves against the current class.
        for (Schema old : schemas.history().get(1)) {
            assertThat(schemas.writer(SchemaSet.fingerprint(old))).contains(old);
        }
    }

    /** FULL_TRANSITIVE as a list of readable problems: current reads old, and old reads current. */
    static final class FullCompatibility {
        private FullCompatibility() {}

        static List<String> problems(Schema current, Schema old, String oldLabel) {
            List<String> out = new ArrayList<>();
            describe(SchemaCompatibility.checkReaderWriterCompatibility(current, old), current.getFullName(),
                    "current cannot read " + oldLabel + " records").ifPresent(out::add);
            describe(SchemaCompatibility.checkReaderWriterCompatibility(old, current), current.getFullName(),
                    oldLabel + " readers cannot read current records").ifPresent(out::add);
            return out;
        }

        private static Optional<String> describe(SchemaCompatibility.SchemaPairCompatibility result, String name,
                String direction) {
            if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
                return Optional.empty();
            }
            String details = result.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "));
            return Optional.of(name + ": " + direction + ": " + details);
        }
    }

    private static Schema withExtraField(Schema record, String name, Schema type, Object defaultValue) {
        List<Schema.Field> fields = record.getFields().stream()
                .map(f -> new Schema.Field(f, f.schema())).collect(Collectors.toList());
        fields.add(defaultValue == null ? new Schema.Field(name, type) : new Schema.Field(name, type, null, defaultValue));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

}
