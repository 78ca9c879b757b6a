package dev.vfo.agent.device.kernel;

import java.util.List;
import java.util.Objects;

/**
 * A device fd and the fds that keep it usable (the group and container, or the iommufd), closed
 * together. {@code route} says how it was opened, for the operator.
 */
public record OpenedDevice(int deviceFd, List<Integer> holders, String route) {
    public OpenedDevice {
        holders = List.copyOf(holders);
        Objects.requireNonNull(route, "route");
    }

    /** Closes the device fd first (releasing the device), then its holders in reverse order. */
    void close(VfioSyscalls sys) {
        sys.close(deviceFd);
        for (int i = holders.size() - 1; i >= 0; i--) {
            sys.close(holders.get(i));
        }
    }
}
