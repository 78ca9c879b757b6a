package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code deploy/bin/vfo} as an operator would, from an unrelated working directory, against
 * the fat jar this build packaged. VFO_NO_BUILD=1 keeps the launcher from starting a nested Maven
 * build: inside {@code verify} the jar is the one {@code package} just made.
 */
class VfoLauncherIT {

    private static final Path LAUNCHER = Path.of("bin", "vfo").toAbsolutePath();

    @TempDir
    Path elsewhere;

    record Result(int exitCode, String out, String err) {}

    private Result vfo(String... args) throws IOException, InterruptedException {
        return vfoLogging(null, args);
    }

    private Result vfoLogging(String logLevel, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        File out = elsewhere.resolve("out").toFile();
        File err = elsewhere.resolve("err").toFile();
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(elsewhere.toFile())
                .redirectOutput(out)
                .redirectError(err);
        pb.environment().put("VFO_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("VFO_LOG_LEVEL");
        if (logLevel != null) {
            pb.environment().put("VFO_LOG_LEVEL", logLevel);
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("vfo finished").isTrue();
        return new Result(p.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherIsExecutable() {
        assertThat(LAUNCHER).isRegularFile();
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
        assertThat(Path.of("target", "vfo-all.jar")).isRegularFile();
    }

    @Test
    void printsThePathFromAnyDirectory() throws Exception {
        Result r = vfo("fsm", "path", "--flags", "STOP_COPY,P2P", "--from", "RUNNING", "--to", "STOP_COPY");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("RUNNING>RUNNING_P2P>STOP>STOP_COPY\n");
    }

    /** Logging is quiet by default (the tests above see an empty stderr) and never on stdout. */
    @Test
    void vfoLogLevelRaisesLoggingOnStderrOnly() throws Exception {
        Result r = vfoLogging("DEBUG", "fsm", "path", "--flags", "3", "--from", "RUNNING", "--to", "STOP");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("RUNNING>RUNNING_P2P>STOP\n");
        assertThat(r.err()).contains("DEBUG dev.vfo.cli.Vfo - vfo " + BuildVersion.version())
                .contains("fsm path --flags 3 --from RUNNING --to STOP");
    }

    @Test
    void aRefusalExits2WithTheReasonOnStderrOnly() throws Exception {
        Result r = vfo("fsm", "path", "--flags", "7", "--from", "STOP_COPY", "--to", "PRE_COPY");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vfo fsm path: the kernel refuses STOP_COPY>PRE_COPY with EINVAL(22)");
    }

    @Test
    void theTableIsCleanCsvOnStdout() throws Exception {
        Result r = vfo("fsm", "table");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(257).first().isEqualTo("flags,current,target,next,path");
        assertThat(lines).allMatch(l -> l.split(",", -1).length == 5);
    }

    @Test
    void versionIsThePomVersion() throws Exception {
        Result r = vfo("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().findFirst()).hasValue("vfo " + BuildVersion.version());
    }
}
