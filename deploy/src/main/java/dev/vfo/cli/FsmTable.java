package dev.vfo.cli;

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
import picocli.CommandLine.Spec;

/**
 * {@code vfo fsm table}: the whole transition function as CSV, one row per (flags, current,
 * target), for diffing against the kernel or another implementation.
 */
@Command(
        name = "table",
        description = {
            "Print the whole transition function as CSV: " + FsmTable.HEADER + ".",
            "One row per defined flags combination (STOP_COPY, STOP_COPY|P2P, STOP_COPY|PRE_COPY, STOP_COPY|P2P|PRE_COPY)"
                    + " x current x target over the 8 states in kernel value order: 256 rows.",
            "next is the state after the first arc and path the states joined by '>';"
                    + " both are EINVAL when the kernel refuses the request."
        })
final class FsmTable implements Callable<Integer> {

    static final String HEADER = "flags,current,target,next,path";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(HEADER);
        rows().forEach(out::println);
        out.flush();
        return 0;
    }

    /** The rows without the header, in the documented order. */
    static List<String> rows() {
        List<String> rows = new ArrayList<>(MigrationCapability.values().length * MigrationState.COUNT * MigrationState.COUNT);
        // Enum declaration order is the documented order: the capabilities as listed in the uAPI
        // header, the states by kernel value.
        for (MigrationCapability capability : MigrationCapability.values()) {
            for (MigrationState current : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    rows.add(row(capability, current, target));
                }
            }
        }
        return rows;
    }

    static String row(MigrationCapability capability, MigrationState current, MigrationState target) {
        Transition t = MigrationFsm.plan(capability, current, target);
        String next;
        String path;
        if (t instanceof Transition.Path) {
            Transition.Path p = (Transition.Path) t;
            next = p.next().name();
            path = p.render();
        } else {
            next = ((Transition.Refused) t).errno().name();
            path = next;
        }
        return String.join(",", capability.label(), current.name(), target.name(), next, path);
    }
}
