package dev.vfo.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of the transition function over random (capability, current, target). */
class MigrationFsmProperties {

    @Property
    void everyArcOfAPathIsAnArcOfTheClass(@ForAll MigrationCapability c, @ForAll MigrationState cur,
            @ForAll MigrationState target) {
        if (MigrationFsm.plan(c, cur, target) instanceof Transition.Path p) {
            for (Arc arc : p.arcs()) {
                assertThat(FsmOracle.arcs(c)).contains(new FsmOracle.Step(arc.from(), arc.to()));
            }
        }
    }

    @Property
    void nextIsTheFirstStepOfThePlan(@ForAll MigrationCapability c, @ForAll MigrationState cur,
            @ForAll MigrationState target) {
        Transition plan = MigrationFsm.plan(c, cur, target);
        Transition next = MigrationFsm.next(c, cur, target);
        if (plan instanceof Transition.Path p) {
            assertThat(next).isInstanceOfSatisfying(Transition.Path.class, n -> {
                assertThat(n.current()).isEqualTo(cur);
                assertThat(n.next()).isEqualTo(p.next());
                assertThat(n.arcs()).isEqualTo(p.arcs().subList(0, Math.min(1, p.arcs().size())));
            });
        } else {
            assertThat(next).isEqualTo(plan);
        }
    }

    /** The driver's loop: call next(), take the arc, repeat until the target; it walks the plan. */
    @Property
    void followingNextStepsReachesTheTargetAlongThePlan(@ForAll MigrationCapability c, @ForAll MigrationState cur,
            @ForAll MigrationState target) {
        if (!(MigrationFsm.plan(c, cur, target) instanceof Transition.Path plan)) {
            return;
        }
        List<MigrationState> walked = new ArrayList<>(List.of(cur));
        MigrationState at = cur;
        while (at != target) {
            assertThat(walked).as("a driver loop must end").hasSizeLessThanOrEqualTo(MigrationState.COUNT);
            Transition step = MigrationFsm.next(c, at, target);
            assertThat(step).isInstanceOf(Transition.Path.class);
            Transition.Path p = (Transition.Path) step;
            assertThat(p.arcs()).hasSize(1);
            at = p.next();
            walked.add(at);
        }
        assertThat(walked).isEqualTo(plan.states());
    }
}
