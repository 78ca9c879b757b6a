package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.ManualClock;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import java.util.Optional;

/** An in-memory kernel with devices, and the backend objects tests open them with. */
final class KernelFixture {
    final ManualClock clock = new ManualClock();
    final InMemoryKernel kernel = new InMemoryKernel();

    SimulatedDevice add(String address, String group, String cdev, SimulatedDeviceSpec spec) {
        SimulatedDevice driver = new SimulatedDevice(spec, clock, clock::sleep);
        kernel.addDevice(address, group, cdev, driver);
        return driver;
    }

    static HostDevice host(String address, String group, String cdev) {
        return new HostDevice(address, Optional.of("mlx5_vfio_pci"), Optional.ofNullable(group),
                Optional.ofNullable(cdev), "0x15b3", "0x101e");
    }

    KernelDevice open(String address, String group, String cdev) {
        return open(kernel, address, group, cdev);
    }

    static KernelDevice open(VfioSyscalls sys, String address, String group, String cdev) {
        OpenedDevice opened = DeviceOpener.preferCdev(sys, "/dev").open(host(address, group, cdev)).ok()
                .orElseThrow(() -> new AssertionError("open " + address + " failed"));
        return new KernelDevice(address, sys, opened);
    }
}
