package dev.vfo.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.ManualClock;
import dev.vfo.agent.device.kernel.FakeSysfs;
import dev.vfo.agent.device.kernel.InMemoryKernel;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevicesCommandTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryKernel kernel = new InMemoryKernel();

    private void add(String address, String group, String cdev, SimulatedDeviceSpec spec) {
        kernel.addDevice(address, group, cdev, new SimulatedDevice(spec, clock, clock::sleep));
    }

    private String run(Path sysfs) {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new DevicesCommand(() -> kernel)).setOut(new PrintWriter(out))
                .execute("--sysfs", sysfs.toString());
        assertThat(exit).isZero();
        return out.toString();
    }

    @Test
    void lists_every_device_with_its_flags_explained_or_the_reason_it_cannot_be_used(@TempDir Path root)
            throws Exception {
        new FakeSysfs(root)
                .pci("0000:3b:00.2", "mlx5_vfio_pci", "42", "vfio3")
                .pci("0000:3b:00.3", "vfio-pci", "43", null)
                .pci("0000:3b:00.4", "vfio-pci", "44", "vfio5")
                .pci("0000:3b:00.5", "vfio-pci", "45", "vfio6")
                .pci("0000:3b:00.6", "vfio-pci", "46", "vfio7");
        add("0000:3b:00.2", "42", "vfio3", SimulatedDeviceSpec.of("a").withSizes(1000, 0));
        add("0000:3b:00.3", "43", null, SimulatedDeviceSpec.of("b").withCapability(MigrationCapability.STOP_COPY_P2P));
        add("0000:3b:00.4", "44", "vfio5", SimulatedDeviceSpec.of("c").withFlags(MigrationFlags.NONE));
        add("0000:3b:00.5", "45", "vfio6", SimulatedDeviceSpec.of("d").withFlags(new MigrationFlags(4)));
        add("0000:3b:00.6", "46", "vfio7", SimulatedDeviceSpec.of("e"));
        kernel.deny("/dev/vfio/devices/vfio7", 13);

        String out = run(root);
        assertThat(out).contains(
                "0000:3b:00.2  model 15b3:101e  driver mlx5_vfio_pci  iommu group 42  cdev vfio3",
                "  opened via cdev /dev/vfio/devices/vfio3 bound to iommufd",
                "  migration flags 0x7(STOP_COPY|P2P|PRE_COPY)",
                "    P2P        RUNNING_P2P: peer-to-peer DMA can be quiesced",
                "  migratable: states STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P",
                "  state RUNNING, stop-copy estimate ",
                "  opened via group /dev/vfio/43 in container /dev/vfio/vfio",
                "  migratable: states STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P\n",
                "  not migratable: the driver has no migration support",
                "  not migratable: flags 0x4 (PRE_COPY) are an undefined combination: VFIO_MIGRATION_STOP_COPY is not set",
                "  cannot open: EACCES(13) at 'open /dev/vfio/devices/vfio7'");
        assertThat(kernel.openFds()).as("every device is closed after the listing").isZero();
    }

    @Test
    void an_empty_host_says_so(@TempDir Path root) {
        assertThat(run(root)).startsWith("No VFIO devices under " + root.resolve("bus/pci/devices"));
    }

    @Test
    void the_agent_command_carries_devices_as_a_subcommand() {
        CommandLine agent = new CommandLine(new AgentCommand());
        assertThat(agent.getSubcommands()).containsKey("devices");
        StringWriter err = new StringWriter();
        assertThat(agent.setErr(new PrintWriter(err)).execute()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");
    }
}
