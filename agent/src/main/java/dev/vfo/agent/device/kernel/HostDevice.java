package dev.vfo.agent.device.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * A PCI device as sysfs shows it: its address, the driver bound to it, its IOMMU group, and its
 * VFIO character device ({@code vfioN}, kernels with CONFIG_VFIO_DEVICE_CDEV), plus the PCI
 * vendor and device ids that name its model.
 */
public record HostDevice(String pciAddress, Optional<String> driver, Optional<String> iommuGroup,
        Optional<String> vfioCdev, String vendor, String device) {
    public HostDevice {
        Objects.requireNonNull(pciAddress, "pciAddress");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(iommuGroup, "iommuGroup");
        Objects.requireNonNull(vfioCdev, "vfioCdev");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(device, "device");
    }

    /** {@code vendor:device} without the {@code 0x} prefixes, as lspci prints it. */
    public String model() {
        return vendor.replaceFirst("^0x", "") + ":" + device.replaceFirst("^0x", "");
    }
}
