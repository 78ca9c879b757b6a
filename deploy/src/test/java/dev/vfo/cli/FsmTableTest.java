package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FsmTableTest {

    private static final List<String> FLAGS_ORDER =
            List.of("STOP_COPY", "STOP_COPY|P2P", "STOP_COPY|PRE_COPY", "STOP_COPY|P2P|PRE_COPY");
    private static final List<String> STATE_ORDER = List.of(
            "ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P");

    private static VfoRun run;
    private static List<String> lines;

    @BeforeAll
    static void printTable() {
        run = VfoRun.of("fsm", "table");
        lines = run.outLines();
    }

    @Test
    void isAHeaderAnd256Rows() {
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(lines).hasSize(257);
        assertThat(lines.get(0)).isEqualTo("flags,current,target,next,path");
    }

    @Test
    void rowsComeInTheDocumentedOrder() {
        List<String> expectedKeys = new ArrayList<>();
        for (String flags : FLAGS_ORDER) {
            for (String current : STATE_ORDER) {
                for (String target : STATE_ORDER) {
                    expectedKeys.add(flags + "," + current + "," + target);
                }
            }
        }
        List<String> keys = new ArrayList<>();
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",", -1);
            keys.add(f[0] + "," + f[1] + "," + f[2]);
        }
        assertThat(keys).containsExactlyElementsOf(expectedKeys);
    }

    /** Each row, parsed back through core's own parsers, says what MigrationFsm says. */
    @Test
    void everyRowAgreesWithTheModel() {
        Set<String> seen = new HashSet<>();
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",", -1);
            assertThat(f).as(row).hasSize(5);
            FlagsReading reading = MigrationFlags.parse(f[0]).read();
            assertThat(reading).as(row).isInstanceOf(FlagsReading.Defined.class);
            MigrationCapability capability = ((FlagsReading.Defined) reading).capability();
            assertThat(capability.label()).isEqualTo(f[0]);
            MigrationState current = MigrationState.valueOf(f[1]);
            MigrationState target = MigrationState.valueOf(f[2]);
            assertThat(seen.add(capability + "/" + current + "/" + target)).as("duplicate " + row).isTrue();

            Transition t = MigrationFsm.plan(capability, current, target);
            if (t instanceof Transition.Refused) {
                assertThat(f[3]).as(row).isEqualTo("EINVAL");
                assertThat(f[4]).as(row).isEqualTo("EINVAL");
                continue;
            }
            List<String> states = Arrays.asList(f[4].split(">"));
            List<String> expected = new ArrayList<>();
            ((Transition.Path) t).states().forEach(s -> expected.add(s.name()));
            assertThat(states).as(row).isEqualTo(expected);
            assertThat(states.get(0)).as(row).isEqualTo(f[1]);
            assertThat(states.get(states.size() - 1)).as(row).isEqualTo(f[2]);
            assertThat(f[3]).as(row).isEqualTo(states.size() > 1 ? states.get(1) : f[1]);
        }
        assertThat(seen).hasSize(256);
    }

    /** Rows written by hand from the kernel's comment in include/uapi/linux/vfio.h. */
    @Test
    void containsTheKernelsExamples() {
        assertThat(lines).contains(
                "STOP_COPY|P2P|PRE_COPY,PRE_COPY,RESUMING,RUNNING,PRE_COPY>RUNNING>RUNNING_P2P>STOP>RESUMING",
                "STOP_COPY|P2P|PRE_COPY,STOP_COPY,PRE_COPY,EINVAL,EINVAL",
                "STOP_COPY|P2P|PRE_COPY,STOP_COPY,PRE_COPY_P2P,EINVAL,EINVAL",
                "STOP_COPY|PRE_COPY,STOP_COPY,PRE_COPY,EINVAL,EINVAL",
                "STOP_COPY|P2P|PRE_COPY,RUNNING,STOP_COPY,RUNNING_P2P,RUNNING>RUNNING_P2P>STOP>STOP_COPY",
                "STOP_COPY|P2P|PRE_COPY,PRE_COPY,STOP_COPY,PRE_COPY_P2P,PRE_COPY>PRE_COPY_P2P>STOP_COPY",
                "STOP_COPY|PRE_COPY,PRE_COPY,STOP_COPY,STOP_COPY,PRE_COPY>STOP_COPY",
                "STOP_COPY|PRE_COPY,STOP,PRE_COPY,RUNNING,STOP>RUNNING>PRE_COPY",
                "STOP_COPY,RUNNING,STOP_COPY,STOP,RUNNING>STOP>STOP_COPY",
                "STOP_COPY,STOP,RUNNING,RUNNING,STOP>RUNNING",
                "STOP_COPY,RUNNING,PRE_COPY,EINVAL,EINVAL",
                "STOP_COPY|P2P,RUNNING_P2P,RUNNING_P2P,RUNNING_P2P,RUNNING_P2P",
                "STOP_COPY|P2P,ERROR,ERROR,EINVAL,EINVAL",
                "STOP_COPY|P2P,RUNNING,ERROR,EINVAL,EINVAL");
    }

    @Test
    void refusalsAreExactlyTheKernelsEinvalCases() {
        long refused = lines.stream().skip(1).filter(l -> l.endsWith(",EINVAL,EINVAL")).count();
        // Per flags: 8 rows from ERROR + 7 rows to ERROR, plus rows from or to a state the
        // combination lacks, plus the blocked STOP_COPY>PRE_COPY* rows. Counted independently:
        // STOP_COPY has 4 of 7 states, STOP_COPY|P2P 5, STOP_COPY|PRE_COPY 5 (+1 blocked),
        // all three 7 (+2 blocked).
        assertThat(refused).isEqualTo(einval(4, 0) + einval(5, 0) + einval(5, 1) + einval(7, 2));
    }

    /** Rows refused for a combination with {@code n} states and {@code blocked} blocked requests. */
    private static long einval(int n, int blocked) {
        return 64 - (long) n * n + blocked;
    }
}
