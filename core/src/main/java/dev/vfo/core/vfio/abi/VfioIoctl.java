package dev.vfo.core.vfio.abi;

/**
 * The VFIO ioctl requests vfo uses, with the kernel's numbers. Every VFIO ioctl is
 * {@code _IO(VFIO_TYPE, VFIO_BASE + nr)}: no direction or size is encoded (the structs grow through
 * their {@code argsz} field instead), so the request number is {@code (';' << 8) | (100 + nr)}.
 *
 * <p>Numbers are reused across fd kinds (VFIO_MIG_GET_PRECOPY_INFO on a migration data fd has the
 * number of VFIO_EEH_PE_OP on a container), which is why each request names the fd it is sent on.
 */
public enum VfioIoctl {
    GET_API_VERSION(0, Fd.CONTAINER),
    CHECK_EXTENSION(1, Fd.CONTAINER),
    SET_IOMMU(2, Fd.CONTAINER),
    GROUP_GET_STATUS(3, Fd.GROUP),
    GROUP_SET_CONTAINER(4, Fd.GROUP),
    GROUP_UNSET_CONTAINER(5, Fd.GROUP),
    GROUP_GET_DEVICE_FD(6, Fd.GROUP),
    DEVICE_GET_INFO(7, Fd.DEVICE),
    DEVICE_GET_REGION_INFO(8, Fd.DEVICE),
    DEVICE_GET_IRQ_INFO(9, Fd.DEVICE),
    DEVICE_SET_IRQS(10, Fd.DEVICE),
    DEVICE_RESET(11, Fd.DEVICE),
    DEVICE_FEATURE(17, Fd.DEVICE),
    /** cdev path only (kernel 6.6+): binds {@code /dev/vfio/devices/vfioN} to an iommufd. */
    DEVICE_BIND_IOMMUFD(18, Fd.DEVICE),
    DEVICE_ATTACH_IOMMUFD_PT(19, Fd.DEVICE),
    DEVICE_DETACH_IOMMUFD_PT(20, Fd.DEVICE),
    /** Sent on the saving data fd, valid only in PRE_COPY and PRE_COPY_P2P. */
    MIG_GET_PRECOPY_INFO(21, Fd.MIGRATION_DATA);

    /** {@code VFIO_TYPE}, the ioctl type byte {@code ';'}. */
    public static final int TYPE = ';';
    /** {@code VFIO_BASE}: every VFIO ioctl number is an offset from it. */
    public static final int BASE = 100;

    /** The kind of file descriptor a request is sent on. */
    public enum Fd {
        /** {@code /dev/vfio/vfio}. */
        CONTAINER,
        /** {@code /dev/vfio/<iommu group>}. */
        GROUP,
        /** A device fd from GROUP_GET_DEVICE_FD, or an opened {@code /dev/vfio/devices/vfioN}. */
        DEVICE,
        /** A saving or resuming fd returned by a MIG_DEVICE_STATE SET. */
        MIGRATION_DATA
    }

    private final int offset;
    private final Fd fd;

    VfioIoctl(int offset, Fd fd) {
        this.offset = offset;
        this.fd = fd;
    }

    /** {@code nr - VFIO_BASE}, as the header writes it ({@code VFIO_BASE + 17}). */
    public int offset() {
        return offset;
    }

    public Fd fd() {
        return fd;
    }

    /** The request number passed to {@code ioctl(2)}. */
    public int request() {
        return io(TYPE, BASE + offset);
    }

    /** The header's macro name, e.g. {@code VFIO_DEVICE_FEATURE}. */
    public String kernelName() {
        return "VFIO_" + name();
    }

    /**
     * The kernel's {@code _IO(type, nr)}: direction {@code _IOC_NONE} (0) and size 0, so only the
     * type byte and the number remain.
     */
    static int io(int type, int nr) {
        return (type << 8) | nr;
    }
}
