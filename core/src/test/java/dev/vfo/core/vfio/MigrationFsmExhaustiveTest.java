package dev.vfo.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every (capability, current, target) triple, 4 x 8 x 8 = 256, checked against {@link FsmOracle}:
 * EINVAL with the kernel's reason exactly where the rules say so, and otherwise a path that is one
 * of the shortest rule-abiding paths over the class's own arcs.
 */
class MigrationFsmExhaustiveTest {

    @TestFactory
    Stream<DynamicTest> everyTripleMatchesTheOracle() {
        List<DynamicTest> tests = new ArrayList<>();
        for (MigrationCapability c : MigrationCapability.values()) {
            for (MigrationState cur : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    tests.add(DynamicTest.dynamicTest(c.label() + ": " + cur + " -> " + target,
                            () -> checkTriple(c, cur, target)));
                }
            }
        }
        assertThat(tests).hasSize(256);
        return tests.stream();
    }

    private static void checkTriple(MigrationCapability c, MigrationState cur, MigrationState target) {
        Transition plan = MigrationFsm.plan(c, cur, target);
        Transition next = MigrationFsm.next(c, cur, target);
        FsmOracle.Verdict verdict = FsmOracle.expect(c, cur, target);

        if (verdict instanceof FsmOracle.Refuse r) {
            assertThat(plan).isInstanceOfSatisfying(Transition.Refused.class, refused -> {
                assertThat(refused.errno()).isEqualTo(Errno.EINVAL);
                assertThat(refused.reason()).isEqualTo(r.reason());
                assertThat(refused.message()).isNotBlank();
            });
            // The kernel refuses on the first call, before any arc: next() says the same.
            assertThat(next).isEqualTo(plan);
            return;
        }

        Set<List<MigrationState>> shortest = ((FsmOracle.Paths) verdict).shortest();
        assertThat(plan).isInstanceOf(Transition.Path.class);
        Transition.Path path = (Transition.Path) plan;
        assertThat(path.capability()).isEqualTo(c);
        assertThat(path.current()).isEqualTo(cur);
        assertThat(path.target()).isEqualTo(target);
        assertThat(shortest).as("shortest rule-abiding paths").contains(path.states());

        Set<FsmOracle.Step> classArcs = FsmOracle.arcs(c);
        for (Arc arc : path.arcs()) {
            assertThat(classArcs).as("arcs of " + c.label()).contains(new FsmOracle.Step(arc.from(), arc.to()));
            assertThat(arc.capability()).isEqualTo(c);
        }
        List<MigrationState> states = path.states();
        if (!states.stream().allMatch(FsmOracle::inSavingGroup)) {
            assertThat(states.subList(1, Math.max(1, states.size() - 1)))
                    .as("interior states of " + path.render()).noneMatch(FsmOracle::inSavingGroup);
        }
        // A session-opening arc returns an fd to the user, so only the last arc may be one.
        List<Arc> arcs = path.arcs();
        for (int i = 0; i < arcs.size() - 1; i++) {
            assertThat(arcs.get(i).opensDataSession()).as(arcs.get(i) + " inside " + path.render()).isFalse();
        }
        assertThat(next).isInstanceOfSatisfying(Transition.Path.class,
                n -> assertThat(n.states()).isEqualTo(states.subList(0, Math.min(2, states.size()))));
    }

    @Test
    void theRulesLeaveExactlyOneShortestPathForEveryReachableTriple() {
        List<String> ambiguous = new ArrayList<>();
        for (MigrationCapability c : MigrationCapability.values()) {
            for (MigrationState cur : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    if (FsmOracle.expect(c, cur, target) instanceof FsmOracle.Paths p && p.shortest().size() != 1) {
                        ambiguous.add(c.label() + " " + cur + "->" + target + ": " + p.shortest());
                    }
                }
            }
        }
        // So the oracle pins the kernel's path exactly, not just its length.
        assertThat(ambiguous).isEmpty();
    }

    @Test
    void theArcsAllPathsUseAreExactlyTheArcsTheClassMustImplement() {
        for (MigrationCapability c : MigrationCapability.values()) {
            Set<FsmOracle.Step> used = new HashSet<>();
            for (MigrationState cur : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    if (MigrationFsm.plan(c, cur, target) instanceof Transition.Path p) {
                        p.arcs().forEach(a -> used.add(new FsmOracle.Step(a.from(), a.to())));
                    }
                }
            }
            assertThat(used).as(c.label()).containsExactlyInAnyOrderElementsOf(FsmOracle.arcs(c));
        }
    }

    @Test
    void einvalCountsPerClassMatchTheKernel() {
        // Per class: 8 from ERROR, (8 - states) * 8 from unsupported currents, and for each
        // supported current: ERROR plus the unsupported targets, plus the blocked requests.
        assertThat(refusals(MigrationCapability.STOP_COPY)).isEqualTo(8 + 3 * 8 + 4 * (1 + 3));
        assertThat(refusals(MigrationCapability.STOP_COPY_P2P)).isEqualTo(8 + 2 * 8 + 5 * (1 + 2));
        assertThat(refusals(MigrationCapability.STOP_COPY_PRE_COPY)).isEqualTo(8 + 2 * 8 + 5 * (1 + 2) + 1);
        assertThat(refusals(MigrationCapability.STOP_COPY_P2P_PRE_COPY)).isEqualTo(8 + 0 + 7 * 1 + 2);
    }

    private static int refusals(MigrationCapability c) {
        int n = 0;
        for (MigrationState cur : MigrationState.values()) {
            for (MigrationState target : MigrationState.values()) {
                if (MigrationFsm.plan(c, cur, target) instanceof Transition.Refused r) {
                    assertThat(r.errno()).isEqualTo(Errno.EINVAL);
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void stopCopyBackToPreCopyIsBlockedOnlyWhereTheTargetExists() {
        assertReason(MigrationCapability.STOP_COPY_P2P_PRE_COPY, MigrationState.PRE_COPY, Transition.Reason.BLOCKED_ARC);
        assertReason(MigrationCapability.STOP_COPY_P2P_PRE_COPY, MigrationState.PRE_COPY_P2P, Transition.Reason.BLOCKED_ARC);
        assertReason(MigrationCapability.STOP_COPY_PRE_COPY, MigrationState.PRE_COPY, Transition.Reason.BLOCKED_ARC);
        // Without P2P the kernel rejects PRE_COPY_P2P as unsupported before it looks at the table.
        assertReason(MigrationCapability.STOP_COPY_PRE_COPY, MigrationState.PRE_COPY_P2P,
                Transition.Reason.TARGET_UNSUPPORTED);
        assertReason(MigrationCapability.STOP_COPY_P2P, MigrationState.PRE_COPY, Transition.Reason.TARGET_UNSUPPORTED);
    }

    private static void assertReason(MigrationCapability c, MigrationState target, Transition.Reason reason) {
        assertThat(MigrationFsm.plan(c, MigrationState.STOP_COPY, target))
                .isInstanceOfSatisfying(Transition.Refused.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }
}
