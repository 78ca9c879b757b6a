package dev.vfo.agent.cli;

import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.kernel.DeviceOpener;
import dev.vfo.agent.device.kernel.HostDevice;
import dev.vfo.agent.device.kernel.KernelDevice;
import dev.vfo.agent.device.kernel.LibcSyscalls;
import dev.vfo.agent.device.kernel.OpenedDevice;
import dev.vfo.agent.device.kernel.SysfsDevices;
import dev.vfo.agent.device.kernel.VfioSyscalls;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vfo agent devices}: lists the host's VFIO devices from sysfs and, for each, opens it
 * through the kernel backend and reads its migration flags, explaining what they mean (or why
 * the combination is undefined). A device that cannot be opened or has no migration support is
 * listed with the reason; it never stops the listing.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Lists this host's VFIO devices with their migration capability flags explained.")
public final class DevicesCommand implements Callable<Integer> {
    /** Names for the errnos opening a device commonly gives, beyond those the uAPI model names. */
    private static final Map<Integer, String> OPEN_ERRNOS = Map.of(1, "EPERM", 2, "ENOENT", 13, "EACCES");

    @Option(names = "--sysfs", defaultValue = "/sys", description = "sysfs root (default: ${DEFAULT-VALUE})")
    Path sysfs;

    @Option(names = "--dev", defaultValue = "/dev", description = "device node root (default: ${DEFAULT-VALUE})")
    String dev;

    @Spec
    CommandSpec spec;

    private final Supplier<VfioSyscalls> syscalls;

    public DevicesCommand() {
        this(LibcSyscalls::new);
    }

    /** With another native seam (tests use an in-memory kernel). */
    public DevicesCommand(Supplier<VfioSyscalls> syscalls) {
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<HostDevice> devices = new SysfsDevices(sysfs).vfioDevices();
        if (devices.isEmpty()) {
            out.println("No VFIO devices under " + sysfs.resolve("bus/pci/devices")
                    + " (none bound to vfio-pci or a vfio variant driver).");
            out.flush();
            return 0;
        }
        VfioSyscalls sys = syscalls.get();
        DeviceOpener opener = DeviceOpener.preferCdev(sys, dev);
        for (HostDevice d : devices) {
            describe(out, sys, opener, d);
        }
        out.flush();
        return 0;
    }

    private static void describe(PrintWriter out, VfioSyscalls sys, DeviceOpener opener, HostDevice d) {
        out.printf("%s  model %s  driver %s  iommu group %s  cdev %s%n", d.pciAddress(), d.model(),
                d.driver().orElse("(none)"), d.iommuGroup().orElse("(none)"), d.vfioCdev().orElse("(none)"));
        Outcome<OpenedDevice> opened = opener.open(d);
        if (!opened.isDone()) {
            Outcome.Failed<OpenedDevice> f = opened.failure().orElseThrow();
            out.printf("  cannot open: %s at '%s'%n", errno(f.errno()), f.detail());
            return;
        }
        try (KernelDevice device = new KernelDevice(d.pciAddress(), sys, opened.ok().orElseThrow())) {
            out.printf("  opened via %s%n", device.route());
            Outcome<MigrationFlags> flags = device.migrationFlags();
            if (!flags.isDone()) {
                Outcome.Failed<MigrationFlags> f = flags.failure().orElseThrow();
                out.printf("  not migratable: %s%n", f.errno() == Errno.ENOTTY.value()
                        ? "the driver has no migration support (" + f.detail() + " answered ENOTTY(25))"
                        : "reading the flags failed with " + errno(f.errno()));
                return;
            }
            MigrationFlags raw = flags.ok().orElseThrow();
            out.printf("  migration flags %s%n", raw);
            for (MigrationFlag flag : MigrationFlag.values()) {
                if (raw.has(flag)) {
                    out.printf("    %-10s %s%n", flag.name(), meaning(flag));
                }
            }
            FlagsReading reading = raw.read();
            if (reading instanceof FlagsReading.Undefined undefined) {
                out.printf("  not migratable: %s%n", undefined.reason());
                return;
            }
            MigrationCapability capability = ((FlagsReading.Defined) reading).capability();
            out.printf("  migratable: states %s%n",
                    capability.states().stream().map(MigrationState::name).collect(Collectors.joining(", ")));
            out.printf("  state %s, stop-copy estimate %s%n", device.state().describe(),
                    device.stopCopySize().ok().map(b -> b + " bytes").orElse("unknown"));
        }
    }

    private static String meaning(MigrationFlag flag) {
        return switch (flag) {
            case STOP_COPY -> "STOP, STOP_COPY, RESUMING: the device state can be saved while stopped and loaded elsewhere";
            case P2P -> "RUNNING_P2P: peer-to-peer DMA can be quiesced before any device of the VM stops";
            case PRE_COPY -> "PRE_COPY (and PRE_COPY_P2P with P2P): state can be read while the VM still runs";
        };
    }

    private static String errno(int value) {
        return OPEN_ERRNOS.containsKey(value) ? OPEN_ERRNOS.get(value) + "(" + value + ")" : Errno.describe(value);
    }
}
