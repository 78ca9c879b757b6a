package dev.vfo.agent.device.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory kernel is the oracle the kernel backend is tested against, so its answers are
 * checked here with raw ioctl bytes against the rules of vfio_main.c.
 */
class InMemoryKernelTest {
    private static final long FEATURE = VfioIoctl.DEVICE_FEATURE.request();
    private static final int GET = 0x10000;
    private static final int SET = 0x20000;
    private static final int PROBE = 0x40000;

    private final KernelFixture f = new KernelFixture();
    private int fd;

    @BeforeEach
    void open() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a").withSizes(10_000, 100)
                .withFault(ArcFault.once(MigrationState.RUNNING_P2P, MigrationState.STOP, Errno.EIO.value(), AfterFailure.ERROR)));
        f.add("0000:02:00.0", "8", "vfio1", SimulatedDeviceSpec.of("none").withFlags(MigrationFlags.NONE));
        fd = f.open("0000:01:00.0", "7", "vfio0").opened().deviceFd();
    }

    private static byte[] feature(int argsz, int flags, int payload) {
        return ByteBuffer.allocate(8 + payload).order(ByteOrder.LITTLE_ENDIAN).putInt(argsz).putInt(flags).array();
    }

    private static byte[] setState(MigrationState s) {
        return setState(s.value());
    }

    private static byte[] setState(int value) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(16).putInt(SET | 2).putInt(value).putInt(77).array();
    }

    private static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    private int errno(byte[] buffer) {
        return f.kernel.ioctl(fd, FEATURE, buffer).errno();
    }

    private MigrationState get() {
        byte[] b = feature(16, GET | 2, 8);
        assertThat(f.kernel.ioctl(fd, FEATURE, b).failed()).isFalse();
        assertThat(u32(b, 12)).as("GET gives data_fd -1").isEqualTo(-1);
        return MigrationState.fromValue(u32(b, 8)).orElseThrow();
    }

    @Test
    void the_feature_header_checks_come_in_the_kernels_order() {
        assertThat(errno(feature(7, GET | 1, 8))).as("argsz < 8").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(16, GET | 1 | (1 << 19), 8))).as("unknown flag bit").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(16, GET | SET | 2, 8))).as("GET|SET without PROBE").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(16, GET | SET | PROBE | 2, 8))).as("GET|SET|PROBE on the state").isZero();
        assertThat(errno(feature(16, SET | 1, 8))).as("SET of MIGRATION").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(8, PROBE | 1, 0))).as("PROBE needs no payload").isZero();
        assertThat(errno(feature(8, PROBE | SET | 1, 0))).as("PROBE of an unsupported SET").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(16, 1, 8))).as("neither GET nor SET").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(15, GET | 1, 7))).as("short payload").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(feature(16, GET | 2, 8))).isZero();
        assertThat(errno(feature(16, GET | 6, 8))).as("DMA logging without log_ops").isEqualTo(Errno.ENOTTY.value());
        assertThat(errno(feature(16, GET | 200, 8))).as("unknown feature id").isEqualTo(Errno.ENOTTY.value());
        assertThat(errno(new byte[4])).as("header not readable").isEqualTo(Errno.EFAULT.value());
    }

    @Test
    void a_device_without_migration_answers_ENOTTY_before_any_feature_check() {
        int other = f.open("0000:02:00.0", "8", "vfio1").opened().deviceFd();
        for (int id : new int[] {1, 2, 9}) {
            assertThat(f.kernel.ioctl(other, FEATURE, feature(16, GET | id, 8)).errno()).isEqualTo(Errno.ENOTTY.value());
            // ENOTTY comes before vfio_check_feature: an unsupported SET or a short payload is not looked at.
            assertThat(f.kernel.ioctl(other, FEATURE, feature(16, SET | id, 8)).errno()).isEqualTo(Errno.ENOTTY.value());
            assertThat(f.kernel.ioctl(other, FEATURE, feature(8, GET | id, 0)).errno()).isEqualTo(Errno.ENOTTY.value());
            assertThat(f.kernel.ioctl(other, FEATURE, feature(8, PROBE | id, 0)).errno()).isEqualTo(Errno.ENOTTY.value());
        }
        // The header checks of vfio_ioctl_device_feature still come first.
        assertThat(f.kernel.ioctl(other, FEATURE, feature(16, GET | SET | 2, 8)).errno()).isEqualTo(Errno.EINVAL.value());
    }

    @Test
    void a_set_walks_the_whole_path_and_returns_a_fd_only_on_a_session_opening_last_arc() {
        byte[] toStopCopy = setState(MigrationState.STOP_COPY);
        assertThat(errno(toStopCopy)).isEqualTo(Errno.EIO.value());
        assertThat(u32(toStopCopy, 8)).as("the requested state is echoed").isEqualTo(MigrationState.STOP_COPY.value());
        assertThat(u32(toStopCopy, 12)).as("data_fd on failure").isEqualTo(-1);
        assertThat(get()).as("the real state").isEqualTo(MigrationState.ERROR);
        assertThat(errno(setState(MigrationState.RUNNING))).as("from ERROR").isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.ioctl(fd, VfioIoctl.DEVICE_RESET.request(), 0L).failed()).isFalse();
        assertThat(get()).isEqualTo(MigrationState.RUNNING);

        byte[] again = setState(MigrationState.STOP_COPY);
        assertThat(errno(again)).isZero();
        assertThat(u32(again, 12)).as("STOP>STOP_COPY opens a session").isGreaterThanOrEqualTo(0);
        assertThat(errno(setState(MigrationState.PRE_COPY))).as("blocked arc").isEqualTo(Errno.EINVAL.value());
        assertThat(errno(setState(MigrationState.ERROR))).isEqualTo(Errno.EINVAL.value());
        assertThat(errno(setState(8))).as("VFIO_DEVICE_STATE_NR").isEqualTo(Errno.EINVAL.value());
        byte[] same = setState(MigrationState.STOP_COPY);
        assertThat(errno(same)).as("SET to the current state").isZero();
        assertThat(u32(same, 12)).isEqualTo(-1);
        byte[] running = setState(MigrationState.RUNNING);
        assertThat(errno(running)).isZero();
        assertThat(u32(running, 12)).isEqualTo(-1);
        byte[] pre = setState(MigrationState.PRE_COPY);
        assertThat(errno(pre)).isZero();
        int preFd = u32(pre, 12);
        assertThat(preFd).isGreaterThanOrEqualTo(0);
        byte[] stopCopy = setState(MigrationState.STOP_COPY);
        assertThat(errno(stopCopy)).isZero();
        assertThat(u32(stopCopy, 12)).as("within the saving group the fd continues").isEqualTo(-1);
    }

    @Test
    void a_pre_fix_kernel_never_returns_from_a_blocked_set() {
        f.kernel.preFixKernel(true);
        assertThat(errno(setState(MigrationState.STOP))).isEqualTo(Errno.EIO.value());
        f.kernel.ioctl(fd, VfioIoctl.DEVICE_RESET.request(), 0L);
        assertThat(errno(setState(MigrationState.STOP_COPY))).isZero();
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> errno(setState(MigrationState.PRE_COPY_P2P)))
                .withMessageContaining("never returns");
    }

    @Test
    void data_fds_follow_the_session_rules() {
        byte[] pre = setState(MigrationState.PRE_COPY);
        assertThat(errno(pre)).isZero();
        int data = u32(pre, 12);
        byte[] info = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(24).array();
        long precopy = VfioIoctl.MIG_GET_PRECOPY_INFO.request();
        assertThat(f.kernel.ioctl(data, precopy, info).failed()).isFalse();
        long initial = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        assertThat(initial).isGreaterThan(10_000);
        assertThat(f.kernel.ioctl(data, precopy, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(23).array()).errno())
                .as("argsz < 24").isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.ioctl(data, FEATURE, feature(16, GET | 2, 8)).errno()).as("other cmd on the data fd")
                .isEqualTo(Errno.ENOTTY.value());
        ByteBuffer all = ByteBuffer.allocate((int) initial + 100);
        assertThat(f.kernel.read(data, all).value()).isEqualTo(initial);
        assertThat(f.kernel.read(data, all).errno()).as("temporary end").isEqualTo(Errno.ENOMSG.value());
        assertThat(f.kernel.write(data, ByteBuffer.allocate(4)).errno()).as("write on a saving fd").isEqualTo(9);

        assertThat(errno(setState(MigrationState.STOP_COPY))).isZero();
        assertThat(f.kernel.ioctl(data, precopy, info).errno()).as("PRECOPY_INFO in STOP_COPY").isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.ioctl(fd, VfioIoctl.DEVICE_RESET.request(), 0L).failed()).isFalse();
        assertThat(f.kernel.read(data, ByteBuffer.allocate(8)).errno()).as("after reset").isEqualTo(Errno.ENODEV.value());
        assertThat(f.kernel.close(data).failed()).isFalse();
        assertThat(f.kernel.read(data, ByteBuffer.allocate(8)).errno()).isEqualTo(9);
    }

    @Test
    void an_unbound_cdev_refuses_everything_but_the_bind() {
        f.add("0000:03:00.0", "9", "vfio2", SimulatedDeviceSpec.of("c").withCapability(MigrationCapability.STOP_COPY));
        int cdev = (int) f.kernel.open("/dev/vfio/devices/vfio2", 2).value();
        assertThat(f.kernel.ioctl(cdev, FEATURE, feature(16, GET | 1, 8)).errno()).isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.read(cdev, ByteBuffer.allocate(4)).errno()).isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.open("/dev/vfio/devices/vfio2", 2).errno()).as("one cdev open at a time").isEqualTo(Errno.EBUSY.value());
        int iommufd = (int) f.kernel.open("/dev/iommu", 2).value();
        byte[] bind = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(16).putInt(0).putInt(iommufd).array();
        assertThat(f.kernel.ioctl(cdev, VfioIoctl.DEVICE_BIND_IOMMUFD.request(), bind).failed()).isFalse();
        assertThat(f.kernel.ioctl(cdev, VfioIoctl.DEVICE_BIND_IOMMUFD.request(), bind).errno()).as("second bind")
                .isEqualTo(Errno.EINVAL.value());
        assertThat(f.kernel.ioctl(cdev, FEATURE, feature(16, GET | 1, 8)).failed()).isFalse();
    }
}
