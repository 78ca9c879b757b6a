package dev.vfo.demo;

import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.ContentIdentity;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The simulated hardware of the demo: two hosts, and VMs whose devices sit on the source host
 * with an empty counterpart (same model) on the destination. Every device of a multi-device VM
 * has P2P, as the quiesce barrier requires; half of them also have PRE_COPY, so the demo shows
 * both an iterative and a stop-and-copy device. One VM can carry an injected failure: its last
 * destination device refuses the commit arc (RESUMING&gt;STOP) once, which happens after the data
 * moved and before any device resumed, so the saga must roll the VM back to the source.
 */
public record DemoFleet(HostId source, HostId destination, List<Vm> vms) {
    /** State of one demo device: big enough to show a progress bar, small enough for a laptop minute. */
    public static final long STATE_BYTES = 24L << 20;
    public static final long RESIDUE_BYTES = 1L << 20;

    public DemoFleet {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        vms = List.copyOf(vms);
    }

    /** One VM: its device pairs, source spec first. */
    public record Vm(String id, List<Pair> devices, boolean failing) {
        public Vm {
            Objects.requireNonNull(id, "id");
            devices = List.copyOf(devices);
        }

        /** Bytes the saga moves at least once (pre-copy may move more). */
        public long stateBytes() {
            return devices.stream().mapToLong(p -> p.source().stateBytes() + p.source().residueBytes()).sum();
        }
    }

    /**
     * One device of a VM on each host. The spec's name is the device's name on its host; the
     * protocol's device id is {@code <host>/<name>} (the agent's rule), see {@link #sourceId}.
     */
    public record Pair(HostId sourceHost, SimulatedDeviceSpec source, HostId destinationHost,
            SimulatedDeviceSpec destination) {
        public Pair {
            Objects.requireNonNull(sourceHost, "sourceHost");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destinationHost, "destinationHost");
            Objects.requireNonNull(destination, "destination");
        }

        public String sourceId() {
            return sourceHost.value() + "/" + source.name();
        }

        public String destinationId() {
            return destinationHost.value() + "/" + destination.name();
        }
    }

    /** A device an agent serves, with the VM it belongs to. */
    public record Hosted(VmId vm, SimulatedDeviceSpec spec) {
        public Hosted {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * {@code healthy} VMs that should migrate, then one VM whose migration fails at the commit, each
     * with {@code devicesPerVm} devices.
     */
    public static DemoFleet of(int healthy, int devicesPerVm) {
        if (healthy < 1 || devicesPerVm < 1 || devicesPerVm > 16) {
            throw new IllegalArgumentException("need at least one VM and 1..16 devices per VM (the API's limit)");
        }
        HostId source = new HostId("host-a");
        HostId destination = new HostId("host-b");
        List<Vm> vms = new ArrayList<>();
        for (int v = 1; v <= healthy; v++) {
            vms.add(vm("vm-" + v, source, destination, devicesPerVm, false));
        }
        vms.add(vm("vm-faulty", source, destination, devicesPerVm, true));
        return new DemoFleet(source, destination, vms);
    }

    private static Vm vm(String id, HostId source, HostId destination, int n, boolean failing) {
        List<Pair> pairs = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            MigrationCapability capability = d % 2 == 0 ? MigrationCapability.STOP_COPY_P2P_PRE_COPY
                    : MigrationCapability.STOP_COPY_P2P;
            String model = "vfo-sim-" + (d % 2 == 0 ? "gpu" : "nic");
            String name = id + ".d" + d;
            SimulatedDeviceSpec src = SimulatedDeviceSpec.of(name)
                    .withModel(model).withCapability(capability)
                    .withContent(new ContentIdentity(name, 1, 0))
                    .withSizes(STATE_BYTES, RESIDUE_BYTES);
            SimulatedDeviceSpec dst = SimulatedDeviceSpec.of(name)
                    .withModel(model).withCapability(capability)
                    .withSizes(0, 0);
            if (failing && d == n - 1) {
                dst = dst.withFault(ArcFault.once(MigrationState.RESUMING, MigrationState.STOP, Errno.EIO.value(),
                        AfterFailure.STAY));
            }
            pairs.add(new Pair(source, src, destination, dst));
        }
        return new Vm(id, pairs, failing);
    }

    /** Every device one host's agent serves. */
    public List<Hosted> devicesOf(HostId host) {
        return vms.stream().flatMap(vm -> vm.devices().stream()
                .map(p -> new Hosted(new VmId(vm.id()), host.equals(source) ? p.source() : p.destination())))
                .toList();
    }

    /** Every device id of the fleet, both hosts. */
    public List<String> deviceIds() {
        return vms.stream().flatMap(vm -> vm.devices().stream())
                .flatMap(p -> java.util.stream.Stream.of(p.sourceId(), p.destinationId())).toList();
    }

    public List<Vm> healthy() {
        return vms.stream().filter(vm -> !vm.failing()).toList();
    }

    public Vm failing() {
        return vms.stream().filter(Vm::failing).findFirst().orElseThrow();
    }

    /**
     * The POST /v1/migrations body for {@code vm}: its pairings and a policy generous enough for a
     * loaded laptop (the step timeout is what would turn a slow machine into a rollback).
     */
    public static JsonObject request(Vm vm) {
        JsonArray devices = new JsonArray();
        vm.devices().forEach(p -> devices.add(new JsonObject()
                .put("source", p.sourceId()).put("destination", p.destinationId())));
        return new JsonObject().put("vm", vm.id()).put("devices", devices).put("policy", new JsonObject()
                .put("downtimeBudgetMs", 30_000).put("maxPreCopyMs", 10_000).put("onPreCopyLimit", "SWITCH_OVER")
                .put("stepTimeoutMs", 30_000));
    }
}
