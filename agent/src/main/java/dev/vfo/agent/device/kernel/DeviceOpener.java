package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.Outcome;

/**
 * How a device fd is obtained. The migration uAPI is the same on every path; only opening
 * differs: the iommufd character device ({@link CdevOpener}) or the legacy container and group
 * ({@link GroupOpener}). A failure names the step and the errno; fds opened before it are closed.
 */
public interface DeviceOpener {

    Outcome<OpenedDevice> open(HostDevice device);

    /** The cdev path when the device has a cdev, the group path otherwise. */
    static DeviceOpener preferCdev(VfioSyscalls sys, String devRoot) {
        CdevOpener cdev = new CdevOpener(sys, devRoot);
        GroupOpener group = new GroupOpener(sys, devRoot);
        return device -> device.vfioCdev().isPresent() ? cdev.open(device) : group.open(device);
    }
}
