package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.saga.MigrationSaga;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimCommandTest {

    @Test
    void printsOneSummaryLineAndSucceedsWithoutViolations() {
        VfoRun run = VfoRun.of("sim", "--seeds", "30", "--seed-start", "1000");
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(1);
        assertThat(run.outLines().get(0)).startsWith("seeds=30 violations=0 ").contains("completed=");
    }

    @Test
    void failsAndPrintsTheReproducingCommandForEachFailingSeed() {
        MigrationSaga withoutBarrier = new MigrationSaga() {
            @Override
            protected boolean awaitsQuiesce() {
                return false;
            }
        };
        VfoRun run = VfoRun.on(new CommandLine(new SimCommand(() -> withoutBarrier)), "--seeds", "40");
        assertThat(run.exitCode()).isEqualTo(Vfo.FAILED);
        assertThat(run.outLines().get(0)).startsWith("seeds=40 violations=").doesNotStartWith("seeds=40 violations=0 ");
        assertThat(run.out()).contains("STOP_BEFORE_PEERS_QUIESCED").containsPattern(
                "reproduce: vfo sim --seeds 1 --seed-start \\d+");
    }

    @Test
    void tracesASeedRecordByRecord() {
        VfoRun run = VfoRun.of("sim", "--seeds", "1", "--seed-start", "7", "--trace");
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo("# seed 7");
        assertThat(run.outLines().get(1)).startsWith("Scenario[seed=7, ");
        assertThat(run.out()).contains("EpochBegan[epoch=1").contains("MigrationRequested[");
        assertThat(run.outLines().get(run.outLines().size() - 1)).startsWith("seeds=1 violations=0 ");
    }

    @Test
    void refusesAnEmptyRange() {
        VfoRun run = VfoRun.of("sim", "--seeds", "0");
        assertThat(run.exitCode()).isEqualTo(Vfo.INVALID_REQUEST);
        assertThat(run.err()).contains("--seeds must be at least 1");
    }
}
