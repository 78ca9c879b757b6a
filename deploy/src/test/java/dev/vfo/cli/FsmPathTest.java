package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FsmPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP_COPY,P2P", "STOP_COPY|P2P", "p2p,stop_copy", "VFIO_MIGRATION_STOP_COPY,VFIO_MIGRATION_P2P", "3", "0x3"})
    void printsTheKernelPathOnOneLine(String flags) {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", flags, "--from", "RUNNING", "--to", "STOP_COPY");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("RUNNING>RUNNING_P2P>STOP>STOP_COPY" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutP2pTheQuiesceStepCollapses() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "STOP_COPY", "--from", "RUNNING", "--to", "STOP_COPY");
        assertThat(run.outLines()).containsExactly("RUNNING>STOP>STOP_COPY");
    }

    @Test
    void stateNamesAreCaseInsensitive() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "7", "--from", "pre_copy", "--to", "resuming");
        assertThat(run.outLines()).containsExactly("PRE_COPY>RUNNING>RUNNING_P2P>STOP>RESUMING");
    }

    @Test
    void alreadyThereIsTheStateAlone() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "1", "--from", "STOP", "--to", "STOP");
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("STOP");
        assertThat(VfoRun.of("fsm", "path", "--flags", "1", "--from", "STOP", "--to", "STOP", "--arcs").out()).isEmpty();
    }

    @Test
    void arcsNoteDataSessionsAndCommits() {
        VfoRun out = VfoRun.of("fsm", "path", "--flags", "STOP_COPY,P2P,PRE_COPY", "--from", "PRE_COPY", "--to", "RESUMING", "--arcs");
        assertThat(out.exitCode()).isZero();
        assertThat(out.outLines()).containsExactly(
                "PRE_COPY>RUNNING",
                "RUNNING>RUNNING_P2P",
                "RUNNING_P2P>STOP",
                "STOP>RESUMING (opens data session)");
        VfoRun in = VfoRun.of("fsm", "path", "--flags", "STOP_COPY,P2P", "--from", "RESUMING", "--to", "RUNNING", "--arcs");
        assertThat(in.outLines()).containsExactly(
                "RESUMING>STOP (commits resumed data)",
                "STOP>RUNNING_P2P",
                "RUNNING_P2P>RUNNING");
    }

    @Test
    void undefinedFlagsAreRefusedNamingTheMissingFlag() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "P2P", "--from", "RUNNING", "--to", "STOP");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("vfo fsm path:").contains("undefined combination")
                .contains("VFIO_MIGRATION_STOP_COPY is not set");
    }

    @Test
    void undefinedBitsAreRefusedNamingTheBit() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "0x23", "--from", "RUNNING", "--to", "STOP");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("bit 5").contains("not migratable");
    }

    @Test
    void theBlockedArcIsRefusedWithEinvalAndWhy() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "STOP_COPY,P2P,PRE_COPY", "--from", "STOP_COPY", "--to", "PRE_COPY_P2P");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("the kernel refuses STOP_COPY>PRE_COPY_P2P with EINVAL(22)")
                .contains("is blocked").contains("spin forever");
    }

    @Test
    void aTargetTheFlagsLackIsRefusedNamingTheFlag() {
        VfoRun run = VfoRun.of("fsm", "path", "--flags", "STOP_COPY,P2P", "--from", "RUNNING", "--to", "PRE_COPY");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("EINVAL(22)").contains("needs PRE_COPY");
    }

    @Test
    void errorIsNeitherAStartNorATarget() {
        assertThat(VfoRun.of("fsm", "path", "--flags", "1", "--from", "ERROR", "--to", "RUNNING").err())
                .contains("VFIO_DEVICE_RESET");
        VfoRun toError = VfoRun.of("fsm", "path", "--flags", "1", "--from", "RUNNING", "--to", "ERROR");
        assertThat(toError.exitCode()).isEqualTo(2);
        assertThat(toError.err()).contains("ERROR cannot be requested");
    }

    @Test
    void usageErrorsExit2() {
        VfoRun missing = VfoRun.of("fsm", "path", "--flags", "1", "--from", "RUNNING");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--to=STATE'");

        VfoRun badState = VfoRun.of("fsm", "path", "--flags", "1", "--from", "WALKING", "--to", "STOP");
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).contains("'WALKING'").contains("RUNNING_P2P");

        VfoRun badFlag = VfoRun.of("fsm", "path", "--flags", "STOP_COPY,DIRTY", "--from", "RUNNING", "--to", "STOP");
        assertThat(badFlag.exitCode()).isEqualTo(2);
        assertThat(badFlag.err()).contains("'DIRTY' is not a migration flag");

        VfoRun noSub = VfoRun.of("fsm");
        assertThat(noSub.exitCode()).isEqualTo(2);
        assertThat(noSub.err()).contains("vfo fsm: Missing required subcommand");
    }
}
