package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.Outcome;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The iommufd path (kernel 6.6+, CONFIG_VFIO_DEVICE_CDEV): open {@code /dev/vfio/devices/vfioN},
 * open {@code /dev/iommu}, VFIO_DEVICE_BIND_IOMMUFD, IOMMU_IOAS_ALLOC, then
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT to that IOAS. Until the bind, the kernel answers every other
 * device ioctl with EINVAL.
 *
 * <p>The structs are sent at their 6.6 minimum sizes, which newer kernels accept too:
 * {@code vfio_device_bind_iommufd} 16 bytes (argsz, flags, iommufd, out_devid),
 * {@code iommu_ioas_alloc} 12 (size, flags, out_ioas_id), {@code vfio_device_attach_iommufd_pt}
 * 12 (argsz, flags, pt_id).
 */
public final class CdevOpener implements DeviceOpener {
    /** {@code _IO(IOMMUFD_TYPE=';', IOMMUFD_CMD_IOAS_ALLOC=0x81)}. */
    public static final long IOMMU_IOAS_ALLOC = (';' << 8) | 0x81;
    public static final int BIND_SIZE = 16;
    public static final int IOAS_ALLOC_SIZE = 12;
    public static final int ATTACH_SIZE = 12;

    private final VfioSyscalls sys;
    private final String devRoot;

    public CdevOpener(VfioSyscalls sys, String devRoot) {
        this.sys = sys;
        this.devRoot = devRoot;
    }

    @Override
    public Outcome<OpenedDevice> open(HostDevice device) {
        if (device.vfioCdev().isEmpty()) {
            return Outcome.failed(Errno.ENODEV, device.pciAddress() + " has no vfio-dev/vfioN entry (no VFIO cdev)");
        }
        String path = devRoot + "/vfio/devices/" + device.vfioCdev().get();
        Steps steps = new Steps(sys);
        int deviceFd = steps.open(path);
        int iommufd = steps.open(devRoot + "/iommu");

        ByteBuffer bind = struct(BIND_SIZE);
        bind.putInt(0, BIND_SIZE).putInt(4, 0).putInt(8, iommufd);
        steps.ioctl(deviceFd, VfioIoctl.DEVICE_BIND_IOMMUFD.request(), bind.array(), "VFIO_DEVICE_BIND_IOMMUFD " + path);

        ByteBuffer alloc = struct(IOAS_ALLOC_SIZE);
        alloc.putInt(0, IOAS_ALLOC_SIZE);
        steps.ioctl(iommufd, IOMMU_IOAS_ALLOC, alloc.array(), "IOMMU_IOAS_ALLOC");
        int ioas = ByteBuffer.wrap(alloc.array()).order(ByteOrder.LITTLE_ENDIAN).getInt(8);

        ByteBuffer attach = struct(ATTACH_SIZE);
        attach.putInt(0, ATTACH_SIZE).putInt(4, 0).putInt(8, ioas);
        steps.ioctl(deviceFd, VfioIoctl.DEVICE_ATTACH_IOMMUFD_PT.request(), attach.array(),
                "VFIO_DEVICE_ATTACH_IOMMUFD_PT ioas " + ioas);
        return steps.finish(deviceFd, "cdev " + path + " bound to iommufd");
    }

    static ByteBuffer struct(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
