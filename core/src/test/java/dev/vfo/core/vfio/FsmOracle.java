package dev.vfo.core.vfio;

import static dev.vfo.core.vfio.MigrationState.ERROR;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY_P2P;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An independent statement of what the kernel must do, written from the header's rules instead
 * of the kernel's table: which states each flag combination has, which arcs each device class
 * implements (the kernel comment above {@code vfio_from_fsm_table}, as tabulated in
 * vfio-uapi.md §4), the blocked requests, and the path rules of the header ("select the shortest
 * path", "the path cannot have saving group states as interior arcs"). Paths are found by a
 * breadth-first search over the class's arcs, so nothing here reads {@link MigrationFsm}.
 */
final class FsmOracle {

    private FsmOracle() {}

    /** One arc a driver implements. */
    record Step(MigrationState from, MigrationState to) {
        @Override
        public String toString() {
            return from + ">" + to;
        }
    }

    /** What the kernel answers for (capability, current, target). */
    sealed interface Verdict permits Refuse, Paths {}

    /** EINVAL before any arc runs, for this reason. */
    record Refuse(Transition.Reason reason) implements Verdict {}

    /** Every path that satisfies the header's rules with the fewest arcs. */
    record Paths(Set<List<MigrationState>> shortest) implements Verdict {}

    /** The requests the header forbids outright ("These arcs are not permitted and return error"). */
    static final Set<Step> BLOCKED = Set.of(new Step(STOP_COPY, PRE_COPY), new Step(STOP_COPY, PRE_COPY_P2P));

    /** The states a device with these flags has (header: STOP_COPY gives 5, P2P and PRE_COPY add their own). */
    static Set<MigrationState> states(MigrationCapability c) {
        EnumSet<MigrationState> s = EnumSet.of(STOP, RUNNING, STOP_COPY, RESUMING);
        s.addAll(switch (c) {
            case STOP_COPY -> EnumSet.noneOf(MigrationState.class);
            case STOP_COPY_P2P -> EnumSet.of(RUNNING_P2P);
            case STOP_COPY_PRE_COPY -> EnumSet.of(PRE_COPY);
            case STOP_COPY_P2P_PRE_COPY -> EnumSet.of(RUNNING_P2P, PRE_COPY, PRE_COPY_P2P);
        });
        return s;
    }

    /** The arcs each device class must implement (vfio-uapi.md §4, from the kernel comment). */
    static Set<Step> arcs(MigrationCapability c) {
        return switch (c) {
            case STOP_COPY -> steps("RUNNING<>STOP", "STOP<>STOP_COPY", "STOP<>RESUMING");
            case STOP_COPY_P2P -> steps("RUNNING<>RUNNING_P2P", "RUNNING_P2P<>STOP", "STOP<>STOP_COPY",
                    "STOP<>RESUMING");
            case STOP_COPY_PRE_COPY -> steps("RUNNING<>STOP", "STOP<>STOP_COPY", "STOP<>RESUMING",
                    "RUNNING<>PRE_COPY", "PRE_COPY>STOP_COPY");
            case STOP_COPY_P2P_PRE_COPY -> steps("RUNNING<>RUNNING_P2P", "RUNNING_P2P<>STOP", "STOP<>STOP_COPY",
                    "STOP<>RESUMING", "RUNNING<>PRE_COPY", "RUNNING_P2P<>PRE_COPY_P2P", "PRE_COPY<>PRE_COPY_P2P",
                    "PRE_COPY_P2P>STOP_COPY");
        };
    }

    /** {@code A<>B} is both directions, {@code A>B} one. */
    private static Set<Step> steps(String... specs) {
        Set<Step> steps = new LinkedHashSet<>();
        for (String spec : specs) {
            boolean both = spec.contains("<>");
            String[] ends = spec.split(both ? "<>" : ">");
            MigrationState a = MigrationState.valueOf(ends[0]);
            MigrationState b = MigrationState.valueOf(ends[1]);
            steps.add(new Step(a, b));
            if (both) {
                steps.add(new Step(b, a));
            }
        }
        return steps;
    }

    static boolean inSavingGroup(MigrationState s) {
        return s == PRE_COPY || s == PRE_COPY_P2P || s == STOP_COPY;
    }

    /**
     * The header's rule: no saving-group state inside a path. The one exception the kernel's own
     * list shows (PRE_COPY&gt;PRE_COPY_P2P&gt;STOP_COPY) is a path that stays entirely within the
     * saving group, where the session's fd simply carries on.
     */
    static boolean respectsSavingGroup(List<MigrationState> path) {
        if (path.stream().allMatch(FsmOracle::inSavingGroup)) {
            return true;
        }
        for (int i = 1; i < path.size() - 1; i++) {
            if (inSavingGroup(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The kernel's answer, derived from the rules in the order the kernel checks them. */
    static Verdict expect(MigrationCapability c, MigrationState current, MigrationState target) {
        Set<MigrationState> has = states(c);
        if (current == ERROR) {
            return new Refuse(Transition.Reason.CURRENT_IS_ERROR);
        }
        if (!has.contains(current)) {
            return new Refuse(Transition.Reason.CURRENT_UNSUPPORTED);
        }
        if (target == ERROR) {
            return new Refuse(Transition.Reason.TARGET_IS_ERROR);
        }
        if (!has.contains(target)) {
            return new Refuse(Transition.Reason.TARGET_UNSUPPORTED);
        }
        if (BLOCKED.contains(new Step(current, target))) {
            return new Refuse(Transition.Reason.BLOCKED_ARC);
        }
        return new Paths(shortestPaths(arcs(c), current, target));
    }

    /** Breadth-first over simple paths, level by level; the first level with a valid path wins. */
    static Set<List<MigrationState>> shortestPaths(Set<Step> arcs, MigrationState from, MigrationState to) {
        List<List<MigrationState>> level = List.of(List.of(from));
        while (!level.isEmpty()) {
            Set<List<MigrationState>> found = new LinkedHashSet<>();
            for (List<MigrationState> p : level) {
                if (p.get(p.size() - 1) == to && respectsSavingGroup(p)) {
                    found.add(p);
                }
            }
            if (!found.isEmpty()) {
                return found;
            }
            List<List<MigrationState>> next = new ArrayList<>();
            for (List<MigrationState> p : level) {
                MigrationState end = p.get(p.size() - 1);
                if (end == to) {
                    continue;
                }
                for (Step s : arcs) {
                    if (s.from() == end && !p.contains(s.to())) {
                        List<MigrationState> longer = new ArrayList<>(p);
                        longer.add(s.to());
                        next.add(List.copyOf(longer));
                    }
                }
            }
            level = next;
        }
        throw new AssertionError("no path obeys the header's rules from " + from + " to " + to + " over " + arcs);
    }
}
