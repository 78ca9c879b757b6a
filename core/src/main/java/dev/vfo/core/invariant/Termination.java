package dev.vfo.core.invariant;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-of-migration checks: the migration finished, and the VM runs in exactly one place (all
 * of that instance's devices RUNNING, the other instance not running and holding no half-loaded
 * state), or it was reported failed naming every device's real state: its last reported state, or
 * the target of a command to it that went unanswered.
 */
public final class Termination {

    private Termination() {}

    public enum Outcome {
        COMPLETED,
        ROLLED_BACK,
        FAILED,
        UNFINISHED
    }

    /**
     * What is known at the end about one migration of {@code vm}.
     *
     * @param reported each device's state as the failure reported it (its last reported state)
     * @param unanswered for a device with commands left unanswered, their targets: such a command may
     *     have run after the coordinator gave up, so the device may be at one of them instead
     */
    public record Ending(VmId vm, Outcome outcome, HostId source, HostId destination,
            Map<DeviceId, MigrationState> sourceDevices, Map<DeviceId, MigrationState> destinationDevices,
            boolean sourceRunning, boolean destinationRunning, Map<DeviceId, MigrationState> reported,
            Map<DeviceId, Set<MigrationState>> unanswered, long position) {
        public Ending {
            Objects.requireNonNull(vm);
            Objects.requireNonNull(outcome);
            Objects.requireNonNull(source);
            Objects.requireNonNull(destination);
            sourceDevices = Map.copyOf(sourceDevices);
            destinationDevices = Map.copyOf(destinationDevices);
            reported = Map.copyOf(reported);
            Map<DeviceId, Set<MigrationState>> copy = new HashMap<>();
            unanswered.forEach((d, targets) -> copy.put(d, Set.copyOf(targets)));
            unanswered = Map.copyOf(copy);
        }

        /** An ending whose report leaves no command in doubt. */
        public Ending(VmId vm, Outcome outcome, HostId source, HostId destination,
                Map<DeviceId, MigrationState> sourceDevices, Map<DeviceId, MigrationState> destinationDevices,
                boolean sourceRunning, boolean destinationRunning, Map<DeviceId, MigrationState> reported,
                long position) {
            this(vm, outcome, source, destination, sourceDevices, destinationDevices, sourceRunning,
                    destinationRunning, reported, Map.of(), position);
        }
    }

    public static List<Violation> check(Ending e) {
        List<Violation> out = new ArrayList<>();
        switch (e.outcome()) {
            case UNFINISHED:
                out.add(new Violation(Rule.NO_TERMINATION, e.vm(), e.position(),
                        "the migration did not finish; source devices " + e.sourceDevices() + ", destination devices "
                                + e.destinationDevices()));
                break;
            case COMPLETED:
                onePlace(e, e.destination(), e.destinationDevices(), e.destinationRunning(), e.sourceRunning(), out);
                break;
            case ROLLED_BACK:
                onePlace(e, e.source(), e.sourceDevices(), e.sourceRunning(), e.destinationRunning(), out);
                for (Map.Entry<DeviceId, MigrationState> d : e.destinationDevices().entrySet()) {
                    if (d.getValue() != MigrationState.RUNNING) {
                        out.add(new Violation(Rule.NOT_IN_ONE_PLACE, e.vm(), e.position(), "rolled back, but destination"
                                + " device " + d.getKey() + " was left in " + d.getValue() + " instead of reset"));
                    }
                }
                break;
            case FAILED:
                for (Map<DeviceId, MigrationState> side : List.of(e.sourceDevices(), e.destinationDevices())) {
                    for (Map.Entry<DeviceId, MigrationState> d : side.entrySet()) {
                        // The report is true if the device is where it last reported, or where the command
                        // in doubt takes it; anything else is a state the coordinator never heard of.
                        MigrationState said = e.reported().get(d.getKey());
                        Set<MigrationState> orElse = e.unanswered().getOrDefault(d.getKey(), Set.of());
                        if (said != d.getValue() && (said == null || !orElse.contains(d.getValue()))) {
                            out.add(new Violation(Rule.UNKNOWN_DEVICE_STATE, e.vm(), e.position(), "failed migration"
                                    + " reported device " + d.getKey() + " in " + said
                                    + (orElse.isEmpty() ? "" : " or " + new TreeSet<>(orElse)
                                            + " (its unanswered commands' targets)")
                                    + " but it is in " + d.getValue()));
                        }
                    }
                }
                break;
        }
        return out;
    }

    private static void onePlace(Ending e, HostId home, Map<DeviceId, MigrationState> devices, boolean homeRunning,
            boolean otherRunning, List<Violation> out) {
        if (!homeRunning || otherRunning) {
            out.add(new Violation(Rule.NOT_IN_ONE_PLACE, e.vm(), e.position(), e.outcome() + " but the VM runs "
                    + (homeRunning ? "on both hosts" : "nowhere") + "; expected only on " + home));
        }
        for (Map.Entry<DeviceId, MigrationState> d : devices.entrySet()) {
            if (d.getValue() != MigrationState.RUNNING) {
                out.add(new Violation(Rule.NOT_IN_ONE_PLACE, e.vm(), e.position(), e.outcome() + " but device "
                        + d.getKey() + " on " + home + " is in " + d.getValue()));
            }
        }
    }
}
