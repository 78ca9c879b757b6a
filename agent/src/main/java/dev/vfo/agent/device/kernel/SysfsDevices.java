package dev.vfo.agent.device.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the host's VFIO devices under a sysfs root ({@code /sys} on a host, a directory tree in
 * tests): every {@code bus/pci/devices/<address>} with a {@code vfio-dev/vfioN} entry or bound to
 * a driver whose name contains {@code vfio} (vfio-pci and the variant drivers such as
 * mlx5_vfio_pci). The driver and IOMMU group are the names their symlinks point to.
 */
public final class SysfsDevices {
    private final Path root;

    public SysfsDevices(Path root) {
        this.root = root;
    }

    /** The VFIO devices, ordered by PCI address; none when the tree has no PCI bus. */
    public List<HostDevice> vfioDevices() {
        Path devices = root.resolve("bus/pci/devices");
        if (!Files.isDirectory(devices)) {
            return List.of();
        }
        List<HostDevice> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(devices)) {
            for (Path entry : (Iterable<Path>) entries.sorted(Comparator.comparing(Path::toString))::iterator) {
                HostDevice d = describe(entry);
                if (d.vfioCdev().isPresent() || d.driver().filter(n -> n.contains("vfio")).isPresent()) {
                    found.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + devices, e);
        }
        return found;
    }

    public Optional<HostDevice> find(String pciAddress) {
        return vfioDevices().stream().filter(d -> d.pciAddress().equals(pciAddress)).findFirst();
    }

    private static HostDevice describe(Path entry) {
        return new HostDevice(entry.getFileName().toString(), linkName(entry.resolve("driver")),
                linkName(entry.resolve("iommu_group")), cdev(entry.resolve("vfio-dev")),
                firstLine(entry.resolve("vendor")), firstLine(entry.resolve("device")));
    }

    private static Optional<String> linkName(Path link) {
        try {
            Path target = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : null;
            return target == null || target.getFileName() == null ? Optional.empty()
                    : Optional.of(target.getFileName().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> cdev(Path vfioDev) {
        if (!Files.isDirectory(vfioDev)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(vfioDev)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("vfio\\d+")).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? "?" : lines.get(0).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
