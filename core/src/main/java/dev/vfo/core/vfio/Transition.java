package dev.vfo.core.vfio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/** What the kernel does for a SET of MIG_DEVICE_STATE: walk a path, or refuse with EINVAL. */
public sealed interface Transition permits Transition.Path, Transition.Refused {

    /**
     * The states the driver walks, starting with the current one. A path of one state means the
     * device is already there (the SET is a no-op success).
     */
    record Path(MigrationCapability capability, List<MigrationState> states) implements Transition {
        public Path {
            Objects.requireNonNull(capability);
            states = List.copyOf(states);
            if (states.isEmpty()) {
                throw new IllegalArgumentException("a path starts with the current state");
            }
            // Arcs are handed to backends as safe to send; a hand-made path could smuggle in one
            // the kernel refuses or (STOP_COPY>PRE_COPY, before the 2026 fix) hangs on.
            if (!MigrationFsm.walks(capability, states)) {
                StringJoiner j = new StringJoiner(">");
                states.forEach(s -> j.add(s.name()));
                throw new IllegalArgumentException(j + " is not the path the kernel walks with flags "
                        + capability.label() + "; MigrationFsm.plan gives the real one");
            }
        }

        public MigrationState current() {
            return states.get(0);
        }

        public MigrationState target() {
            return states.get(states.size() - 1);
        }

        /** The state after the first arc, or the current state when there is nothing to do. */
        public MigrationState next() {
            return states.size() > 1 ? states.get(1) : states.get(0);
        }

        public List<Arc> arcs() {
            List<Arc> arcs = new ArrayList<>(states.size() - 1);
            for (int i = 1; i < states.size(); i++) {
                arcs.add(new Arc(capability, states.get(i - 1), states.get(i)));
            }
            return arcs;
        }

        /** States joined by {@code >}, e.g. {@code RUNNING>RUNNING_P2P>STOP>STOP_COPY}. */
        public String render() {
            StringJoiner j = new StringJoiner(">");
            states.forEach(s -> j.add(s.name()));
            return j.toString();
        }
    }

    /** The kernel returns {@code errno} (always EINVAL) before any arc runs; the device stays put. */
    record Refused(Errno errno, Reason reason, String message) implements Transition {
        public Refused {
            Objects.requireNonNull(errno);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(message);
        }
    }

    /** Why the kernel refuses. */
    enum Reason {
        /** The device is in ERROR: only VFIO_DEVICE_RESET recovers it. */
        CURRENT_IS_ERROR,
        /** The current state does not exist for these flags (the kernel also WARNs). */
        CURRENT_UNSUPPORTED,
        /** ERROR can never be requested. */
        TARGET_IS_ERROR,
        /** The target needs a flag the device lacks. */
        TARGET_UNSUPPORTED,
        /** STOP_COPY&gt;PRE_COPY or STOP_COPY&gt;PRE_COPY_P2P: no way back into pre-copy. */
        BLOCKED_ARC
    }
}
