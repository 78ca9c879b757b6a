package dev.vfo.cli;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vfo fsm path}: the states the kernel walks for one SET of the device state. */
@Command(
        name = "path",
        description = {
            "Print the path the kernel walks from one migration state to another, for a device with the given flags:"
                    + " the states joined by '>', starting with the current one.",
            "A refused request (undefined flags, unsupported state, ERROR, the blocked STOP_COPY>PRE_COPY*) exits 2"
                    + " with the kernel's errno and the reason on standard error."
        })
final class FsmPath implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--flags", required = true, paramLabel = "FLAGS", converter = FlagsWord.Defined.class,
            description = "The device's migration flags: names joined by ',' or '|' (STOP_COPY,P2P), or a decimal"
                    + " or 0x hex number. Must be one of the four defined combinations.")
    MigrationCapability capability;

    @Option(names = "--from", required = true, paramLabel = "STATE",
            description = "Current state: ${COMPLETION-CANDIDATES}.")
    MigrationState from;

    @Option(names = "--to", required = true, paramLabel = "STATE",
            description = "Requested state: ${COMPLETION-CANDIDATES}.")
    MigrationState to;

    @Option(names = "--arcs",
            description = "Print one arc (one driver step) per line instead, noting the arcs that open a data"
                    + " session and the arc that commits resumed data. Nothing is printed when the device is"
                    + " already in the requested state.")
    boolean arcs;

    @Override
    public Integer call() {
        Transition t = MigrationFsm.plan(capability, from, to);
        if (t instanceof Transition.Refused) {
            throw new InvalidRequest(refusal((Transition.Refused) t, from, to));
        }
        Transition.Path path = (Transition.Path) t;
        PrintWriter out = spec.commandLine().getOut();
        if (arcs) {
            path.arcs().forEach(a -> out.println(describe(a)));
        } else {
            out.println(path.render());
        }
        out.flush();
        return 0;
    }

    static String refusal(Transition.Refused r, MigrationState from, MigrationState to) {
        Errno errno = r.errno();
        return "the kernel refuses " + from + ">" + to + " with " + Errno.describe(errno.value()) + ": " + r.message();
    }

    static String describe(Arc arc) {
        List<String> notes = new ArrayList<>(2);
        if (arc.opensDataSession()) {
            notes.add("opens data session");
        }
        if (arc.commitsResumedData()) {
            notes.add("commits resumed data");
        }
        return notes.isEmpty() ? arc.toString() : arc + " (" + String.join(", ", notes) + ")";
    }
}
