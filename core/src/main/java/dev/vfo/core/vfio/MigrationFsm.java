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
import java.util.List;
import java.util.StringJoiner;

/**
 * The kernel's transition function, {@code vfio_mig_get_next_state()} in
 * {@code drivers/vfio/vfio_main.c}, transcribed table for table.
 *
 * <p>The kernel checks that the current and the target state exist for the device's flags
 * (EINVAL otherwise), takes the first step from an 8x8 table written for a device with every
 * optional state, and while that step lands on a state the device lacks, replaces it by the
 * table's step from there: that is how optional states are skipped. The driver repeats this until
 * it reaches the target, so the full path is the sequence of steps.
 *
 * <p>The blocked requests STOP_COPY&gt;PRE_COPY and STOP_COPY&gt;PRE_COPY_P2P are ERROR in the
 * table. Kernels from 6.2 until the 2026 stable fix spin forever in the skip loop on them (ERROR's
 * requirement of all bits is never met), holding the driver's state mutex. This model stops on the
 * ERROR sentinel as the fixed kernel does and reports EINVAL; callers only ever send single
 * {@link Arc}s, which cannot name those requests.
 */
public final class MigrationFsm {

    private MigrationFsm() {}

    /** {@code vfio_from_fsm_table}, indexed by kernel value: the first step when every optional state exists. */
    private static final MigrationState[][] FIRST_STEP = new MigrationState[MigrationState.COUNT][MigrationState.COUNT];

    private static void row(MigrationState from, MigrationState stop, MigrationState running,
            MigrationState stopCopy, MigrationState resuming, MigrationState runningP2p,
            MigrationState preCopy, MigrationState preCopyP2p) {
        MigrationState[] r = FIRST_STEP[from.value()];
        r[ERROR.value()] = ERROR;
        r[STOP.value()] = stop;
        r[RUNNING.value()] = running;
        r[STOP_COPY.value()] = stopCopy;
        r[RESUMING.value()] = resuming;
        r[RUNNING_P2P.value()] = runningP2p;
        r[PRE_COPY.value()] = preCopy;
        r[PRE_COPY_P2P.value()] = preCopyP2p;
    }

    static {
        //  from          to: STOP         RUNNING      STOP_COPY     RESUMING     RUNNING_P2P  PRE_COPY      PRE_COPY_P2P
        row(STOP,             STOP,        RUNNING_P2P, STOP_COPY,    RESUMING,    RUNNING_P2P, RUNNING_P2P,  RUNNING_P2P);
        row(RUNNING,          RUNNING_P2P, RUNNING,     RUNNING_P2P,  RUNNING_P2P, RUNNING_P2P, PRE_COPY,     RUNNING_P2P);
        row(PRE_COPY,         RUNNING,     RUNNING,     PRE_COPY_P2P, RUNNING,     RUNNING,     PRE_COPY,     PRE_COPY_P2P);
        row(PRE_COPY_P2P,     RUNNING_P2P, RUNNING_P2P, STOP_COPY,    RUNNING_P2P, RUNNING_P2P, PRE_COPY,     PRE_COPY_P2P);
        row(STOP_COPY,        STOP,        STOP,        STOP_COPY,    STOP,        STOP,        ERROR,        ERROR);
        row(RESUMING,         STOP,        STOP,        STOP,         RESUMING,    STOP,        STOP,         STOP);
        row(RUNNING_P2P,      STOP,        RUNNING,     STOP,         STOP,        RUNNING_P2P, RUNNING,      PRE_COPY_P2P);
        row(ERROR,            ERROR,       ERROR,       ERROR,        ERROR,       ERROR,       ERROR,        ERROR);
    }

    /**
     * The whole SET as the kernel carries it out: the path from {@code current} to {@code target},
     * or the refusal with the reason.
     */
    public static Transition plan(MigrationCapability capability, MigrationState current, MigrationState target) {
        Transition.Refused refused = check(capability, current, target);
        if (refused != null) {
            return refused;
        }
        List<MigrationState> states = new ArrayList<>(5);
        states.add(current);
        MigrationState at = current;
        while (at != target) {
            MigrationState next = step(capability, at, target);
            if (next == ERROR) {
                return blocked(capability, current, target);
            }
            states.add(next);
            at = next;
            if (states.size() > MigrationState.COUNT) {
                throw new IllegalStateException("FSM table cycles from " + current + " to " + target);
            }
        }
        return new Transition.Path(capability, states);
    }

    /** One driver iteration: {@code vfio_mig_get_next_state(cur, new, &next)}. */
    public static Transition next(MigrationCapability capability, MigrationState current, MigrationState target) {
        Transition t = plan(capability, current, target);
        if (t instanceof Transition.Path p) {
            return new Transition.Path(capability, p.states().size() > 1 ? p.states().subList(0, 2) : p.states());
        }
        return t;
    }

    /**
     * Whether {@code states} is exactly the walk the kernel makes for a SET from its first to its
     * last state. {@link Transition.Path} checks this so that its {@link Arc}s are always arcs the
     * kernel takes; it builds no Path itself, so the check cannot recurse.
     */
    static boolean walks(MigrationCapability capability, List<MigrationState> states) {
        MigrationState current = states.get(0);
        MigrationState target = states.get(states.size() - 1);
        if (check(capability, current, target) != null) {
            return false;
        }
        MigrationState at = current;
        for (int i = 1; i < states.size(); i++) {
            if (at == target) {
                return false;
            }
            MigrationState next = step(capability, at, target);
            if (next == ERROR || next != states.get(i)) {
                return false;
            }
            at = next;
        }
        return at == target;
    }

    /** Steps 1 and 2 of the kernel function: both states must exist for these flags. */
    private static Transition.Refused check(MigrationCapability capability, MigrationState current, MigrationState target) {
        if (current == ERROR) {
            return new Transition.Refused(Errno.EINVAL, Transition.Reason.CURRENT_IS_ERROR,
                    "the device is in ERROR; only VFIO_DEVICE_RESET recovers it (to RUNNING)");
        }
        if (!capability.supports(current)) {
            return new Transition.Refused(Errno.EINVAL, Transition.Reason.CURRENT_UNSUPPORTED,
                    "current state " + current + " does not exist with flags " + capability.label()
                            + " (it needs " + missing(capability, current) + "); the kernel WARNs and returns EINVAL");
        }
        if (target == ERROR) {
            return new Transition.Refused(Errno.EINVAL, Transition.Reason.TARGET_IS_ERROR,
                    "ERROR cannot be requested; it is only entered when a transition fails");
        }
        if (!capability.supports(target)) {
            return new Transition.Refused(Errno.EINVAL, Transition.Reason.TARGET_UNSUPPORTED,
                    "target state " + target + " needs " + missing(capability, target)
                            + ", which flags " + capability.label() + " do not have");
        }
        return null;
    }

    /** Step 3: table lookup, skipping states the device lacks, stopping on the ERROR sentinel. */
    private static MigrationState step(MigrationCapability capability, MigrationState current, MigrationState target) {
        MigrationState next = FIRST_STEP[current.value()][target.value()];
        while (next != ERROR && !capability.supports(next)) {
            next = FIRST_STEP[next.value()][target.value()];
        }
        return next;
    }

    private static Transition.Refused blocked(MigrationCapability capability, MigrationState current, MigrationState target) {
        return new Transition.Refused(Errno.EINVAL, Transition.Reason.BLOCKED_ARC,
                current + ">" + target + " is blocked: there is no way back into pre-copy from STOP_COPY"
                        + " without leaving the saving group; the fixed kernel returns EINVAL, and kernels"
                        + " 6.2 up to the 2026 stable fix spin forever holding the device's state mutex,"
                        + " so vfo never sends this request (go through STOP and RUNNING first)");
    }

    private static String missing(MigrationCapability capability, MigrationState state) {
        StringJoiner j = new StringJoiner("|");
        for (MigrationFlag f : MigrationFlag.values()) {
            if ((state.requiredFlags() & f.bit()) != 0 && !capability.has(f)) {
                j.add(f.name());
            }
        }
        return j.toString();
    }
}
