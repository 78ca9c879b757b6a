package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.sim.SimulatedDevice;

/**
 * Opens one simulated device behind a fresh in-memory kernel, for tests outside this package. The
 * kernel acts as a pre-fix kernel: a blocked SET the backend sent would fail the test.
 */
public final class KernelDeviceAccess {
    private final InMemoryKernel kernel = new InMemoryKernel();
    private final KernelDevice device;

    private KernelDeviceAccess(SimulatedDevice driver) {
        kernel.addDevice("0000:01:00.0", "1", "vfio0", driver);
        kernel.preFixKernel(true);
        device = KernelFixture.open(kernel, "0000:01:00.0", "1", "vfio0");
    }

    public static KernelDeviceAccess withDevice(SimulatedDevice driver) {
        return new KernelDeviceAccess(driver);
    }

    public KernelDevice device() {
        return device;
    }

    public int openFds() {
        return kernel.openFds();
    }
}
