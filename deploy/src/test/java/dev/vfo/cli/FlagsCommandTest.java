package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationFlags;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class FlagsCommandTest {

    @Test
    void explainsADefinedCombination() {
        VfoRun run = VfoRun.of("flags", "0x3");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "flags:        0x3 = 3 (STOP_COPY|P2P)",
                "bit 0:        VFIO_MIGRATION_STOP_COPY, needed by STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P",
                "bit 1:        VFIO_MIGRATION_P2P, needed by RUNNING_P2P, PRE_COPY_P2P",
                "combination:  defined (STOP_COPY|P2P)",
                "states:       STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P",
                "migration:    migratable without pre-copy: all device state moves in STOP_COPY while the VM is stopped, inside the downtime",
                "multi-device: can be one of several VFIO devices in a VM: it quiesces in RUNNING_P2P before any device stops");
    }

    @Test
    void withoutP2pTheDeviceIsSingleDeviceOnly() {
        VfoRun run = VfoRun.of("flags", "STOP_COPY|PRE_COPY");
        assertThat(run.out()).contains("migratable with pre-copy").contains("single-device VMs only")
                .contains("states:       STOP, RUNNING, STOP_COPY, RESUMING, PRE_COPY\n");
    }

    @Test
    void explainsAnUndefinedCombinationAndStillSucceeds() {
        VfoRun run = VfoRun.of("flags", "6");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("combination:  undefined: ").contains("VFIO_MIGRATION_STOP_COPY is not set")
                .contains("not migratable").doesNotContain("multi-device");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void namesUnknownBits() {
        VfoRun run = VfoRun.of("flags", "0x8000000000000001");
        assertThat(run.out()).contains("bit 63:       undefined in the uAPI").contains("STOP_COPY|bit63");
    }

    @Test
    void checkExits2ForAnUndefinedCombination() {
        VfoRun undefined = VfoRun.of("flags", "--check", "0x2");
        assertThat(undefined.exitCode()).isEqualTo(2);
        assertThat(undefined.err()).startsWith("vfo flags: flags 0x2 (P2P) are an undefined combination");
        assertThat(undefined.out()).contains("combination:  undefined");

        VfoRun defined = VfoRun.of("flags", "--check", "STOP_COPY");
        assertThat(defined.exitCode()).isZero();
        assertThat(defined.out()).contains("single-device VMs only").contains("migratable without pre-copy");
    }

    @Test
    void aWordThatIsNotFlagsIsAUsageError() {
        VfoRun run = VfoRun.of("flags", "0xZZ");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'0xZZ' is not a u64 number");
        assertThat(VfoRun.of("flags").exitCode()).isEqualTo(2);
    }

    @Property(tries = 300)
    void anyWordIsExplainedAndCheckFollowsCoresReading(@ForAll long raw) {
        MigrationFlags flags = new MigrationFlags(raw);
        boolean defined = flags.read() instanceof FlagsReading.Defined;
        String word = Long.toUnsignedString(raw);

        VfoRun run = VfoRun.of("flags", word);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("combination:  " + (defined ? "defined" : "undefined"));
        for (int b = 0; b < Long.SIZE; b++) {
            boolean set = (raw & (1L << b)) != 0;
            assertThat(run.out().contains(String.format("%-13s ", "bit " + b + ":"))).as("bit %d", b).isEqualTo(set);
        }
        assertThat(VfoRun.of("flags", "--check", "0x" + Long.toHexString(raw)).exitCode()).isEqualTo(defined ? 0 : 2);
    }
}
