package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The release step that freezes the current schemas as version N:
 * {@code ./mvnw -o -pl schemas -am verify -Dtest=FreezeSchemas -Dvfo.schemas.freeze=N -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code src/main/resources/dev/vfo/schemas/history/vN/<full name>.avsc} (self-contained
 * schemas) and lists them in {@code index.txt}. A frozen file is never edited afterwards; the
 * compatibility test holds every later schema to it.
 */
@EnabledIfSystemProperty(named = "vfo.schemas.freeze", matches = "[1-9][0-9]*")
class FreezeSchemas {

    @Test
    void freezeCurrentSchemas() throws IOException {
        int version = Integer.parseInt(System.getProperty("vfo.schemas.freeze"));
        Path history = Path.of("src/main/resources").resolve(SchemaSet.HISTORY);
        Path dir = history.resolve("v" + version);
        Files.createDirectories(dir);
        TreeSet<String> entries = new TreeSet<>();
        Path index = history.resolve("index.txt");
        for (String line : Files.readAllLines(index)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                entries.add(line.strip());
            }
        }
        for (Schema s : SchemaSet.standard().current()) {
            String entry = "v" + version + "/" + s.getFullName() + ".avsc";
            Path file = history.resolve(entry);
            if (Files.exists(file)) {
                assertThat(new Schema.Parser().parse(file.toFile()))
                        .as("%s is frozen and differs from the current schema: freeze as a new version", entry)
                        .isEqualTo(s);
            } else {
                Files.writeString(file, s.toString(true) + "\n", StandardCharsets.UTF_8);
            }
            entries.add(entry);
        }
        List<String> out = new ArrayList<>();
        out.add("# frozen schema versions: vN/<full name>.avsc (written by FreezeSchemas, never edited)");
        out.addAll(entries);
        Files.write(index, out, StandardCharsets.UTF_8);
    }
}
