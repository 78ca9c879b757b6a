package dev.vfo.agent.loop;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.config.DeviceSpec;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.kernel.DeviceOpener;
import dev.vfo.agent.device.kernel.HostDevice;
import dev.vfo.agent.device.kernel.KernelDevice;
import dev.vfo.agent.device.kernel.LibcSyscalls;
import dev.vfo.agent.device.kernel.OpenedDevice;
import dev.vfo.agent.device.kernel.SysfsDevices;
import dev.vfo.agent.device.kernel.VfioSyscalls;
import dev.vfo.agent.device.sim.ContentIdentity;
import dev.vfo.agent.device.sim.LatencyModel;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.agent.device.sim.Sleeper;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.vfio.MigrationFlags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the devices the configuration names, with the configured backend. The protocol's device id
 * is {@code <hostId>/<name>}. A kernel device that is not in sysfs or cannot be opened stops the
 * start with the reason: an agent that silently served fewer devices would let a migration plan
 * count on a device nobody drives.
 */
public final class HostDevices {

    private HostDevices() {}

    public static List<ServedDevice> open(AgentConfig config, Clock clock) {
        return switch (config.backend()) {
            case SIMULATED -> simulated(config, clock);
            case KERNEL -> kernel(config, new LibcSyscalls());
        };
    }

    public static DeviceId id(AgentConfig config, String name) {
        return new DeviceId(config.hostId().value() + "/" + name);
    }

    static List<ServedDevice> simulated(AgentConfig config, Clock clock) {
        List<ServedDevice> out = new ArrayList<>();
        for (DeviceSpec d : config.devices()) {
            DeviceId id = id(config, d.name());
            SimulatedDeviceSpec spec = SimulatedDeviceSpec.of(d.name()).withModel(d.model())
                    .withContent(new ContentIdentity(id.value(), 0, 0)).withSizes(d.stateBytes(), d.residueBytes())
                    .withDirtyRate(d.dirtyBytesPerSecond()).withFlags(new MigrationFlags(d.flags()))
                    .withLatency(new LatencyModel(d.arcLatency(), Map.of(), 0));
            // The simulated hardware's state lives beside the agent's own state, so it outlives an
            // agent process as a real device outlives it (see HeldState).
            out.add(new ServedDevice(id, d.vm(), new SimulatedDevice(spec, clock, Sleeper.REAL,
                    Optional.of(config.stateDir().resolve("simulated-devices").resolve(d.name() + ".state"))),
                    "simulated:" + d.name(), "vfo-sim", d.model()));
        }
        return out;
    }

    static List<ServedDevice> kernel(AgentConfig config, VfioSyscalls sys) {
        SysfsDevices sysfs = new SysfsDevices(config.sysfsRoot());
        DeviceOpener opener = DeviceOpener.preferCdev(sys, config.devRoot());
        List<ServedDevice> out = new ArrayList<>();
        try {
            for (DeviceSpec d : config.devices()) {
                HostDevice host = sysfs.find(d.name()).orElseThrow(() -> new IllegalStateException("device "
                        + d.name() + " is not a VFIO device in " + config.sysfsRoot().resolve("bus/pci/devices")));
                Outcome<OpenedDevice> opened = opener.open(host);
                if (!opened.isDone()) {
                    throw new IllegalStateException("device " + d.name() + " cannot be opened: "
                            + opened.failure().orElseThrow());
                }
                out.add(new ServedDevice(id(config, d.name()), d.vm(),
                        new KernelDevice(d.name(), sys, opened.ok().orElseThrow()), host.pciAddress(),
                        host.driver().orElse("unknown"), host.model()));
            }
        } catch (RuntimeException e) {
            out.forEach(s -> s.device().close());
            throw e;
        }
        return out;
    }
}
