package dev.vfo.cli;

import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * What a raw flags word means, line by line: each set bit, the reading core gives it (defined or
 * undefined, with core's reason), the states it provides, and what vfo does with such a device.
 *
 * <p>The verdict applies two rules. Without PRE_COPY all device state moves while the VM is
 * stopped, so the device adds its whole state to the downtime. Without P2P a device cannot be
 * quiesced before its peers stop, so it may only be the one VFIO device of its VM: QEMU blocks
 * migration of a VM with more than one VFIO device unless every one has P2P, and vfo's barrier
 * (every device RUNNING_P2P before any STOP) needs the same.
 */
record FlagsExplanation(MigrationFlags flags, FlagsReading reading) {

    static FlagsExplanation of(MigrationFlags flags) {
        return new FlagsExplanation(flags, flags.read());
    }

    Optional<MigrationCapability> capability() {
        return reading instanceof FlagsReading.Defined
                ? Optional.of(((FlagsReading.Defined) reading).capability())
                : Optional.empty();
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(line("flags", "0x" + Long.toHexString(flags.raw()) + " = " + Long.toUnsignedString(flags.raw())
                + " (" + flags.describe() + ")"));
        if (flags.raw() == 0) {
            lines.add(line("bits", "none set"));
        }
        for (int b = 0; b < Long.SIZE; b++) {
            long bit = 1L << b;
            if ((flags.raw() & bit) != 0) {
                lines.add(line("bit " + b, bitMeaning(bit)));
            }
        }
        Optional<MigrationCapability> capability = capability();
        if (capability.isPresent()) {
            MigrationCapability c = capability.get();
            lines.add(line("combination", "defined (" + c.label() + ")"));
            lines.add(line("states", names(c.states())));
            lines.add(line("migration", c.has(MigrationFlag.PRE_COPY)
                    ? "migratable with pre-copy: device state streams while the VM runs (PRE_COPY),"
                            + " so less of it moves during the downtime"
                    : "migratable without pre-copy: all device state moves in STOP_COPY while the VM is stopped,"
                            + " inside the downtime"));
            lines.add(line("multi-device", c.has(MigrationFlag.P2P)
                    ? "can be one of several VFIO devices in a VM: it quiesces in RUNNING_P2P before any device stops"
                    : "single-device VMs only: without P2P it cannot quiesce before its peers stop"
                            + " (QEMU's rule: several VFIO devices migrate only if all have P2P)"));
        } else {
            lines.add(line("combination", "undefined: " + ((FlagsReading.Undefined) reading).reason()));
            lines.add(line("states", "none: vfo acts on no state of an undefined combination"));
            lines.add(line("migration", "not migratable: a migration of a VM with this device is refused"
                    + " with the reason above"));
        }
        return lines;
    }

    private static String bitMeaning(long bit) {
        for (MigrationFlag f : MigrationFlag.values()) {
            if (f.bit() == bit) {
                List<MigrationState> neededBy = new ArrayList<>();
                for (MigrationState s : MigrationState.values()) {
                    if (s != MigrationState.ERROR && (s.requiredFlags() & bit) != 0) {
                        neededBy.add(s);
                    }
                }
                return f.kernelName() + ", needed by " + names(neededBy);
            }
        }
        return "undefined in the uAPI: no meaning, and vfo does not ignore it";
    }

    private static String names(Iterable<MigrationState> states) {
        StringJoiner j = new StringJoiner(", ");
        states.forEach(s -> j.add(s.name()));
        return j.toString();
    }

    private static String line(String label, String text) {
        return String.format("%-13s %s", label + ":", text);
    }
}
