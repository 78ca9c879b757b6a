package dev.vfo.agent.device.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsDevicesTest {

    @Test
    void finds_vfio_devices_by_cdev_or_driver_and_reads_their_links(@TempDir Path root) throws Exception {
        new FakeSysfs(root)
                .pci("0000:3b:00.2", "mlx5_vfio_pci", "42", "vfio3")
                .pci("0000:00:1f.0", "nvme", "3", null)
                .pci("0000:3b:00.1", "vfio-pci", "41", null)
                .pci("0000:5e:00.0", null, null, "vfio0");
        SysfsDevices sysfs = new SysfsDevices(root);
        assertThat(sysfs.vfioDevices()).extracting(HostDevice::pciAddress)
                .containsExactly("0000:3b:00.1", "0000:3b:00.2", "0000:5e:00.0");
        HostDevice mlx = sysfs.find("0000:3b:00.2").orElseThrow();
        assertThat(mlx.driver()).contains("mlx5_vfio_pci");
        assertThat(mlx.iommuGroup()).contains("42");
        assertThat(mlx.vfioCdev()).contains("vfio3");
        assertThat(mlx.model()).isEqualTo("15b3:101e");
        HostDevice unbound = sysfs.find("0000:5e:00.0").orElseThrow();
        assertThat(unbound.driver()).isEmpty();
        assertThat(unbound.iommuGroup()).isEmpty();
        assertThat(sysfs.find("0000:00:1f.0")).isEqualTo(Optional.empty());
    }

    @Test
    void a_tree_without_a_pci_bus_has_no_devices(@TempDir Path root) {
        assertThat(new SysfsDevices(root).vfioDevices()).isEmpty();
    }
}
