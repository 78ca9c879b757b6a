package dev.vfo.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paths the kernel comment above {@code vfio_from_fsm_table} in {@code drivers/vfio/vfio_main.c}
 * enumerates ("if all optional features are supported, this means the following ones"), copied
 * verbatim, and the examples vfio-uapi.md §4 gives for the other classes.
 */
class KernelCommentPathsTest {

    /** Copied from the kernel comment, in its order. */
    private static final List<String> KERNEL_COMMENT_PATHS = List.of(
            "PRE_COPY -> PRE_COPY_P2P -> STOP_COPY",
            "PRE_COPY -> RUNNING -> RUNNING_P2P",
            "PRE_COPY -> RUNNING -> RUNNING_P2P -> STOP",
            "PRE_COPY -> RUNNING -> RUNNING_P2P -> STOP -> RESUMING",
            "PRE_COPY_P2P -> RUNNING_P2P -> RUNNING",
            "PRE_COPY_P2P -> RUNNING_P2P -> STOP",
            "PRE_COPY_P2P -> RUNNING_P2P -> STOP -> RESUMING",
            "RESUMING -> STOP -> RUNNING_P2P",
            "RESUMING -> STOP -> RUNNING_P2P -> PRE_COPY_P2P",
            "RESUMING -> STOP -> RUNNING_P2P -> RUNNING",
            "RESUMING -> STOP -> RUNNING_P2P -> RUNNING -> PRE_COPY",
            "RESUMING -> STOP -> STOP_COPY",
            "RUNNING -> RUNNING_P2P -> PRE_COPY_P2P",
            "RUNNING -> RUNNING_P2P -> STOP",
            "RUNNING -> RUNNING_P2P -> STOP -> RESUMING",
            "RUNNING -> RUNNING_P2P -> STOP -> STOP_COPY",
            "RUNNING_P2P -> RUNNING -> PRE_COPY",
            "RUNNING_P2P -> STOP -> RESUMING",
            "RUNNING_P2P -> STOP -> STOP_COPY",
            "STOP -> RUNNING_P2P -> PRE_COPY_P2P",
            "STOP -> RUNNING_P2P -> RUNNING",
            "STOP -> RUNNING_P2P -> RUNNING -> PRE_COPY",
            "STOP_COPY -> STOP -> RESUMING",
            "STOP_COPY -> STOP -> RUNNING_P2P",
            "STOP_COPY -> STOP -> RUNNING_P2P -> RUNNING");

    private static List<MigrationState> parse(String path) {
        return Arrays.stream(path.split(" -> ")).map(MigrationState::valueOf).collect(Collectors.toList());
    }

    private static Transition.Path plan(MigrationCapability c, List<MigrationState> states) {
        Transition t = MigrationFsm.plan(c, states.get(0), states.get(states.size() - 1));
        assertThat(t).as(c.label() + " " + states).isInstanceOf(Transition.Path.class);
        return (Transition.Path) t;
    }

    static List<String> kernelCommentPaths() {
        return KERNEL_COMMENT_PATHS;
    }

    @ParameterizedTest
    @MethodSource("kernelCommentPaths")
    void everyEnumeratedPathIsWhatTheModelWalks(String path) {
        List<MigrationState> expected = parse(path);
        assertThat(plan(MigrationCapability.STOP_COPY_P2P_PRE_COPY, expected).states()).isEqualTo(expected);
    }

    @Test
    void theKernelListIsComplete() {
        // Every multi-arc path of a full-featured device is in the comment: nothing is missing from it.
        Set<String> multiArc = new TreeSet<>();
        for (MigrationState cur : MigrationState.values()) {
            for (MigrationState target : MigrationState.values()) {
                if (MigrationFsm.plan(MigrationCapability.STOP_COPY_P2P_PRE_COPY, cur, target) instanceof Transition.Path p
                        && p.arcs().size() > 1) {
                    multiArc.add(p.states().stream().map(Enum::name).collect(Collectors.joining(" -> ")));
                }
            }
        }
        assertThat(multiArc).containsExactlyInAnyOrderElementsOf(KERNEL_COMMENT_PATHS);
    }

    @ParameterizedTest
    @CsvSource({"STOP_COPY, PRE_COPY", "STOP_COPY, PRE_COPY_P2P"})
    void theCommentsBlockedTransitionsAreEinval(MigrationState from, MigrationState to) {
        for (Transition t : List.of(MigrationFsm.plan(MigrationCapability.STOP_COPY_P2P_PRE_COPY, from, to),
                MigrationFsm.next(MigrationCapability.STOP_COPY_P2P_PRE_COPY, from, to))) {
            assertThat(t).isInstanceOfSatisfying(Transition.Refused.class, r -> {
                assertThat(r.errno()).isEqualTo(Errno.EINVAL);
                assertThat(r.reason()).isEqualTo(Transition.Reason.BLOCKED_ARC);
                assertThat(r.message()).contains(from + ">" + to).contains("spin forever");
            });
        }
    }

    /**
     * "Arcs touching optional and unsupported states are skipped over": a smaller class walks the
     * full-featured path with its missing states left out.
     */
    @Test
    void smallerClassesWalkTheFullPathWithTheirMissingStatesSkipped() {
        List<String> wrong = new ArrayList<>();
        for (MigrationCapability c : MigrationCapability.values()) {
            for (MigrationState cur : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    if (MigrationFsm.plan(c, cur, target) instanceof Transition.Path p) {
                        Transition.Path full = plan(MigrationCapability.STOP_COPY_P2P_PRE_COPY, List.of(cur, target));
                        List<MigrationState> projected = full.states().stream()
                                .filter(FsmOracle.states(c)::contains).collect(Collectors.toList());
                        if (!projected.equals(p.states())) {
                            wrong.add(c.label() + ": " + p.render() + " but full path " + full.render());
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // Without P2P every step through RUNNING_P2P collapses.
        "STOP_COPY,              RUNNING > STOP",
        "STOP_COPY,              STOP > RUNNING",
        "STOP_COPY,              RUNNING > STOP > STOP_COPY",
        "STOP_COPY,              STOP_COPY > STOP > RUNNING",
        "STOP_COPY,              RESUMING > STOP > RUNNING",
        "STOP_COPY_P2P,          RUNNING > RUNNING_P2P > STOP",
        "STOP_COPY_P2P,          RESUMING > STOP > RUNNING_P2P > RUNNING",
        // With PRE_COPY but no P2P: PRE_COPY goes straight to STOP_COPY, STOP reaches PRE_COPY through RUNNING.
        "STOP_COPY_PRE_COPY,     PRE_COPY > STOP_COPY",
        "STOP_COPY_PRE_COPY,     STOP > RUNNING > PRE_COPY",
        "STOP_COPY_PRE_COPY,     PRE_COPY > RUNNING > STOP",
        "STOP_COPY_PRE_COPY,     PRE_COPY > RUNNING > STOP > RESUMING",
        // With everything: the longest path has 4 arcs.
        "STOP_COPY_P2P_PRE_COPY, RUNNING > RUNNING_P2P > STOP > STOP_COPY",
        "STOP_COPY_P2P_PRE_COPY, PRE_COPY > RUNNING > RUNNING_P2P > STOP > RESUMING"})
    void referenceExamplesForEachClass(MigrationCapability c, String path) {
        List<MigrationState> expected = Arrays.stream(path.split(" > ")).map(String::strip)
                .map(MigrationState::valueOf).collect(Collectors.toList());
        assertThat(plan(c, expected).states()).isEqualTo(expected);
    }
}
