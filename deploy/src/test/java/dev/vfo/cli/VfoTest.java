package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class VfoTest {

    @Test
    void noSubcommandIsAUsageError() {
        VfoRun run = VfoRun.of();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("vfo: Missing required subcommand").contains("Try 'vfo --help'");
    }

    @Test
    void unknownSubcommandIsAUsageErrorWithASuggestion() {
        VfoRun run = VfoRun.of("flgs");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("vfo flags");
    }

    @Test
    void versionComesFromThePom() {
        VfoRun run = VfoRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines().get(0)).matches("vfo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run.outLines().get(1)).startsWith("Java ");
    }

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        VfoRun run = VfoRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("fsm").contains("flags").contains("coordinator").contains("Exit codes:")
                .containsPattern("0\\s+the job succeeded")
                .containsPattern("1\\s+the job failed")
                .containsPattern("2\\s+invalid request");
    }

    @Test
    void subcommandsInheritHelpVersionAndExitCodes() {
        VfoRun run = VfoRun.of("fsm", "path", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--version").contains("Exit codes:");
        assertThat(VfoRun.of("help", "flags").out()).contains("--check");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Option(names = "--invalid")
        boolean invalid;

        @Override
        public Integer call() {
            if (invalid) {
                throw new InvalidRequest("the request names no VM");
            }
            throw new IllegalStateException("broker unreachable");
        }
    }

    @Test
    void aFailingJobExits1AndNamesTheException() {
        CommandLine cl = Vfo.commandLine().addSubcommand(new Boom());
        VfoRun run = VfoRun.on(cl, "boom");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("vfo boom: failed: java.lang.IllegalStateException: broker unreachable");
    }

    @Test
    void anInvalidRequestExits2WithItsMessageOnly() {
        CommandLine cl = Vfo.commandLine().addSubcommand(new Boom());
        VfoRun run = VfoRun.on(cl, "boom", "--invalid");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualToIgnoringNewLines("vfo boom: the request names no VM");
    }
}
