package dev.vfo.agent.device.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a sysfs-shaped tree the way the kernel lays it out: bus entries are symlinks into devices/. */
public final class FakeSysfs {
    private final Path root;

    public FakeSysfs(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A PCI device; {@code driver}, {@code group} and {@code cdev} may be null (absent). */
    public FakeSysfs pci(String address, String driver, String group, String cdev) throws IOException {
        Path real = Files.createDirectories(root.resolve("devices/pci0000:00/" + address));
        Files.writeString(real.resolve("vendor"), "0x15b3\n");
        Files.writeString(real.resolve("device"), "0x101e\n");
        if (driver != null) {
            Files.createDirectories(root.resolve("bus/pci/drivers/" + driver));
            Files.createSymbolicLink(real.resolve("driver"), Path.of("../../../bus/pci/drivers/" + driver));
        }
        if (group != null) {
            Files.createDirectories(root.resolve("kernel/iommu_groups/" + group));
            Files.createSymbolicLink(real.resolve("iommu_group"), Path.of("../../../kernel/iommu_groups/" + group));
        }
        if (cdev != null) {
            Files.createDirectories(real.resolve("vfio-dev/" + cdev));
        }
        Files.createDirectories(root.resolve("bus/pci/devices"));
        Files.createSymbolicLink(root.resolve("bus/pci/devices/" + address), Path.of("../../../devices/pci0000:00/" + address));
        return this;
    }
}
