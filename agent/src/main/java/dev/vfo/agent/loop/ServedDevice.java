package dev.vfo.agent.loop;

import dev.vfo.agent.device.VfioDevice;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.VmId;
import java.util.Objects;

/**
 * A device this agent serves for a VM, with what DeviceRegistered says about it. The device
 * belongs to whoever opened it: the agent drives it but never closes it, so a test (or the
 * {@code run} command) can restart the agent over the same devices.
 */
public record ServedDevice(DeviceId id, VmId vm, VfioDevice device, String pciAddress, String driver, String model) {
    public ServedDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(pciAddress, "pciAddress");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(model, "model");
    }
}
