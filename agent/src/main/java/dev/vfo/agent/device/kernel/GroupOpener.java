package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.Outcome;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The legacy container and group path: open {@code /dev/vfio/vfio}, check VFIO_GET_API_VERSION
 * is 0 and VFIO_CHECK_EXTENSION(TYPE1v2) holds, open {@code /dev/vfio/<group>}, check
 * VFIO_GROUP_GET_STATUS says VIABLE, VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU(TYPE1v2), then
 * VFIO_GROUP_GET_DEVICE_FD with the PCI address.
 */
public final class GroupOpener implements DeviceOpener {
    public static final int API_VERSION = 0;
    public static final int TYPE1V2_IOMMU = 3;
    public static final int GROUP_STATUS_SIZE = 8;
    public static final int GROUP_FLAGS_VIABLE = 1;

    private final VfioSyscalls sys;
    private final String devRoot;

    public GroupOpener(VfioSyscalls sys, String devRoot) {
        this.sys = sys;
        this.devRoot = devRoot;
    }

    @Override
    public Outcome<OpenedDevice> open(HostDevice device) {
        if (device.iommuGroup().isEmpty()) {
            return Outcome.failed(Errno.ENODEV, device.pciAddress() + " has no iommu_group (no IOMMU, or not bound)");
        }
        Steps steps = new Steps(sys);
        String containerPath = devRoot + "/vfio/vfio";
        int container = steps.open(containerPath);
        long version = steps.ioctl(container, VfioIoctl.GET_API_VERSION.request(), 0L, "VFIO_GET_API_VERSION");
        steps.require(version == API_VERSION, Errno.EINVAL, "VFIO_GET_API_VERSION is " + version + ", not 0");
        long type1v2 = steps.ioctl(container, VfioIoctl.CHECK_EXTENSION.request(), TYPE1V2_IOMMU, "VFIO_CHECK_EXTENSION");
        steps.require(type1v2 > 0, Errno.EINVAL, "the container does not support VFIO_TYPE1v2_IOMMU");

        String groupPath = devRoot + "/vfio/" + device.iommuGroup().get();
        int group = steps.open(groupPath);
        byte[] status = CdevOpener.struct(GROUP_STATUS_SIZE).putInt(0, GROUP_STATUS_SIZE).array();
        steps.ioctl(group, VfioIoctl.GROUP_GET_STATUS.request(), status, "VFIO_GROUP_GET_STATUS " + groupPath);
        int flags = ByteBuffer.wrap(status).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
        steps.require((flags & GROUP_FLAGS_VIABLE) != 0, Errno.EBUSY, "group " + device.iommuGroup().get()
                + " is not viable (a device in it is bound to a non-VFIO driver)");
        byte[] containerFd = CdevOpener.struct(4).putInt(0, container).array();
        steps.ioctl(group, VfioIoctl.GROUP_SET_CONTAINER.request(), containerFd, "VFIO_GROUP_SET_CONTAINER");
        steps.ioctl(container, VfioIoctl.SET_IOMMU.request(), TYPE1V2_IOMMU, "VFIO_SET_IOMMU(TYPE1v2)");

        byte[] name = Arrays.copyOf(device.pciAddress().getBytes(StandardCharsets.US_ASCII), device.pciAddress().length() + 1);
        long deviceFd = steps.ioctl(group, VfioIoctl.GROUP_GET_DEVICE_FD.request(), name,
                "VFIO_GROUP_GET_DEVICE_FD " + device.pciAddress());
        return steps.finish((int) deviceFd, "group " + groupPath + " in container " + containerPath);
    }
}
