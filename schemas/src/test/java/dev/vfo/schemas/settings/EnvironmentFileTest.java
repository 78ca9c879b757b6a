package dev.vfo.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnvironmentFileTest {
    static final Path F = Path.of("/etc/vfo/agent.env");

    @Test
    void reads_systemd_environment_file_syntax() {
        EnvironmentFile f = EnvironmentFile.parse(F, """
                # comment
                ; also a comment

                VFO_A=plain value
                  VFO_B = "double \\"quoted\\" \\\\ value"
                VFO_C='single $NOT expanded'
                VFO_D=first \\
                second
                VFO_A=later wins
                VFO_E=
                """);
        assertThat(f.problems()).isEmpty();
        assertThat(f.values()).containsEntry("VFO_A", "later wins").containsEntry("VFO_B", "double \"quoted\" \\ value")
                .containsEntry("VFO_C", "single $NOT expanded").containsEntry("VFO_D", "first second")
                .containsEntry("VFO_E", "").hasSize(5);
    }

    @Test
    void every_bad_line_is_reported_with_its_number_and_without_its_value() {
        EnvironmentFile f = EnvironmentFile.parse(F, """
                VFO_OK=1
                just words
                export VFO_X=1
                kafka.bootstrap.servers=k:9092
                VFO_PASSWORD="s3cret
                """);
        assertThat(f.values()).containsOnlyKeys("VFO_OK");
        assertThat(f.problems()).containsExactly(
                F + ":2: not KEY=value",
                F + ":3: 'export' is shell syntax; write VFO_X=value",
                F + ":4: 'kafka.bootstrap.servers' is not a variable name (letters, digits, _)",
                F + ":5: VFO_PASSWORD: unterminated quote");
        assertThat(String.join("\n", f.problems())).doesNotContain("s3cret");
    }
}
