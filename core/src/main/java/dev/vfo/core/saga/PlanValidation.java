package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a request against the VM's device inventory: every source device paired with a
 * destination device of the same model with compatible, defined flags; P2P on every device when
 * there is more than one (QEMU's rule: without it a device could stop while a peer still DMAs
 * into it); no unknown, silent or busy device. Every problem found is named.
 */
public final class PlanValidation {

    private PlanValidation() {}

    /** The plan, or the list of reasons it is refused (never empty then). */
    public static Result validate(MigrationRequest request, Map<DeviceId, KnownDevice> inventory, Instant at) {
        List<String> reasons = new ArrayList<>();
        if (request.sourceHost().equals(request.destinationHost())) {
            reasons.add("source and destination host are both " + request.sourceHost());
        }
        Set<DeviceId> paired = new HashSet<>();
        Set<DeviceId> destinations = new HashSet<>();
        List<DevicePlan> devices = new ArrayList<>();
        for (DevicePair pair : request.devices()) {
            if (!paired.add(pair.source())) {
                reasons.add("source device " + pair.source() + " is paired more than once");
            }
            if (!destinations.add(pair.destination())) {
                reasons.add("destination device " + pair.destination() + " is paired more than once");
            }
            Optional<KnownDevice> src = known(inventory, pair.source(), "source", reasons);
            Optional<KnownDevice> dst = known(inventory, pair.destination(), "destination", reasons);
            if (src.isEmpty() || dst.isEmpty()) {
                continue;
            }
            KnownDevice s = src.get();
            KnownDevice d = dst.get();
            if (!s.host().equals(request.sourceHost())) {
                reasons.add("source device " + s.device() + " is on host " + s.host() + ", not on the source host "
                        + request.sourceHost());
            }
            if (!d.host().equals(request.destinationHost())) {
                reasons.add("destination device " + d.device() + " is on host " + d.host()
                        + ", not on the destination host " + request.destinationHost());
            }
            if (!s.model().equals(d.model())) {
                reasons.add("source device " + s.device() + " is a " + s.model() + " but destination device "
                        + d.device() + " is a " + d.model() + "; device state only loads into the same kind");
            }
            silent(s, request.policy().silenceLimit(), at, reasons);
            silent(d, request.policy().silenceLimit(), at, reasons);
            if (s.state() != MigrationState.RUNNING) {
                reasons.add("source device " + s.device() + " is in " + s.state() + "; a migration starts from RUNNING");
            }
            if (d.state() != MigrationState.RUNNING && d.state() != MigrationState.STOP) {
                reasons.add("destination device " + d.device() + " is in " + d.state()
                        + "; it must be idle (RUNNING or STOP)");
            }
            Optional<MigrationCapability> sc = capability(s, "source", reasons);
            Optional<MigrationCapability> dc = capability(d, "destination", reasons);
            if (sc.isPresent() && dc.isPresent() && sc.get().has(MigrationFlag.P2P) && !dc.get().has(MigrationFlag.P2P)) {
                reasons.add("source device " + s.device() + " has P2P (" + sc.get().label() + ") but destination device "
                        + d.device() + " does not (" + dc.get().label() + "): incompatible flags");
            }
            if (sc.isPresent() && dc.isPresent()) {
                devices.add(new DevicePlan(s.device(), s.agent(), sc.get(), d.device(), d.agent(), dc.get(),
                        d.transferEndpoint(), s.host(), d.host()));
            }
        }
        for (KnownDevice k : inventory.values()) {
            if (k.host().equals(request.sourceHost()) && !paired.contains(k.device())) {
                reasons.add("source device " + k.device() + " of the VM has no destination device in the request");
            }
        }
        if (request.devices().isEmpty()) {
            reasons.add("the request pairs no device");
        }
        if (request.devices().size() > 1) {
            for (DevicePlan p : devices) {
                requireP2p(p.source(), p.sourceCapability(), request.devices().size(), reasons);
                requireP2p(p.destination(), p.destinationCapability(), request.devices().size(), reasons);
            }
        }
        if (!reasons.isEmpty()) {
            return new Result(Optional.empty(), reasons);
        }
        return new Result(Optional.of(new MigrationPlan(request.migration(), request.vm(), request.sourceHost(),
                request.destinationHost(), devices, request.policy(), at)), List.of());
    }

    /** Either a plan or the reasons there is none. */
    public record Result(Optional<MigrationPlan> plan, List<String> reasons) {
        public Result {
            reasons = List.copyOf(reasons);
        }
    }

    private static Optional<KnownDevice> known(Map<DeviceId, KnownDevice> inventory, DeviceId id, String side,
            List<String> reasons) {
        KnownDevice k = inventory.get(id);
        if (k == null) {
            reasons.add(side + " device " + id + " is unknown: no agent registered it for this VM");
        }
        return Optional.ofNullable(k);
    }

    private static void silent(KnownDevice k, Duration limit, Instant at, List<String> reasons) {
        if (Duration.between(k.lastSeen(), at).compareTo(limit) > 0) {
            reasons.add("device " + k.device() + " is silent: last heard of at " + k.lastSeen() + ", more than "
                    + limit + " before " + at);
        }
    }

    private static Optional<MigrationCapability> capability(KnownDevice k, String side, List<String> reasons) {
        FlagsReading reading = new MigrationFlags(k.migrationFlags()).read();
        if (reading instanceof FlagsReading.Defined defined) {
            return Optional.of(defined.capability());
        }
        reasons.add(side + " device " + k.device() + ": " + ((FlagsReading.Undefined) reading).reason());
        return Optional.empty();
    }

    private static void requireP2p(DeviceId id, MigrationCapability c, int count, List<String> reasons) {
        if (!c.has(MigrationFlag.P2P)) {
            reasons.add("device " + id + " lacks VFIO_MIGRATION_P2P (" + c.label() + "), and a VM with " + count
                    + " devices migrates only if every device has P2P (a device could otherwise stop while a peer"
                    + " still DMAs into it)");
        }
    }
}
