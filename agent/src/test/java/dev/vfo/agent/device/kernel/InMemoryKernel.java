package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.DataSession;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import dev.vfo.core.vfio.abi.FeatureFlags;
import dev.vfo.core.vfio.abi.FeatureId;
import dev.vfo.core.vfio.abi.PrecopyInfo;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kernel in memory that answers {@link VfioSyscalls} the way Linux does for VFIO: the
 * container/group files, the cdev with iommufd bind and attach, VFIO_DEVICE_FEATURE with
 * {@code vfio_ioctl_device_feature()}'s and {@code vfio_check_feature()}'s checks in the kernel's
 * order, the migration features (ENOTTY without {@code mig_ops}), a MIG_DEVICE_STATE SET walked
 * arc by arc over {@link MigrationFsm}'s path by the driver (with the struct copied back holding
 * the <em>requested</em> state and data_fd -1 on failure), data fds returned on the four
 * session-opening arcs, PRECOPY_INFO (EINVAL outside PRE_COPY*, ENOTTY for other commands),
 * ENOMSG at PRE_COPY's temporary end, RESET to RUNNING.
 *
 * <p>The driver behind each device is a {@link SimulatedDevice}: the kernel layer is modelled
 * here, the per-arc work, the fault hooks and the data streams are the simulated device's. Every
 * call is logged so tests can check what the backend asked and in which order.
 */
public final class InMemoryKernel implements VfioSyscalls {
    static final int EBADF = 9;
    static final int ENOENT = 2;
    static final int EPERM = 1;
    static final int EACCES = 13;
    private static final long GET = FeatureFlags.GET.bit();
    private static final long SET = FeatureFlags.SET.bit();
    private static final long PROBE = FeatureFlags.PROBE.bit();

    private final String devRoot;
    private final Map<String, Integer> denied = new HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Device> cdevs = new HashMap<>();
    private final Map<Integer, Object> fds = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private int nextFd = 3;
    private boolean preFix;

    public InMemoryKernel(String devRoot) {
        this.devRoot = devRoot;
    }

    public InMemoryKernel() {
        this("/dev");
    }

    /** A VFIO device {@code pciAddress} in IOMMU group {@code group}, with cdev {@code vfioN} if not null. */
    public synchronized void addDevice(String pciAddress, String group, String cdev, SimulatedDevice driver) {
        Device d = new Device(pciAddress, driver);
        groups.computeIfAbsent(group, Group::new).devices.add(d);
        if (cdev != null) {
            cdevs.put(cdev, d);
        }
    }

    /** Opening {@code path} fails with {@code errno} (e.g. EACCES for a non-root agent). */
    public synchronized void deny(String path, int errno) {
        denied.put(path, errno);
    }

    /**
     * Behave as kernels 6.2 up to the 2026 fix: a SET of STOP_COPY&gt;PRE_COPY(_P2P) would spin
     * forever holding the state mutex. Here it throws, so a test fails if a backend ever sends one.
     */
    public synchronized void preFixKernel(boolean on) {
        preFix = on;
    }

    public synchronized void allow(String path) {
        denied.remove(path);
    }

    public synchronized void setViable(String group, boolean viable) {
        groups.get(group).viable = viable;
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    public synchronized void clearLog() {
        log.clear();
    }

    /** The fds still open (tests check an opener leaks none). */
    public synchronized int openFds() {
        return fds.size();
    }

    // ---- files ----

    private static final class Container {
        final Set<Group> groups = new HashSet<>();
        boolean iommuSet;
    }

    private static final class Group {
        final String id;
        final List<Device> devices = new ArrayList<>();
        boolean viable = true;
        Container container;

        Group(String id) {
            this.id = id;
        }
    }

    private static final class Device {
        final String pciAddress;
        final SimulatedDevice driver;
        boolean cdevOpen;
        int opens;

        Device(String pciAddress, SimulatedDevice driver) {
            this.pciAddress = pciAddress;
            this.driver = driver;
        }

        boolean migOps() {
            return driver.spec().flags().raw() != 0;
        }
    }

    private static final class GroupFile {
        final Group group;

        GroupFile(Group group) {
            this.group = group;
        }
    }

    private static final class DeviceFile {
        final Device device;
        final boolean cdev;
        boolean bound;

        DeviceFile(Device device, boolean cdev) {
            this.device = device;
            this.cdev = cdev;
        }
    }

    private static final class Iommufd {
        final Set<Integer> ioas = new HashSet<>();
        int nextId = 1;
    }

    private static final class DataFile {
        final DataSession session;

        DataFile(DataSession session) {
            this.session = session;
        }
    }

    private int install(Object file) {
        int fd = nextFd++;
        fds.put(fd, file);
        return fd;
    }

    private SysReturn logged(String call, SysReturn r) {
        log.add(call + " = " + r);
        return r;
    }

    @Override
    public synchronized SysReturn open(String path, int flags) {
        return logged("open(" + path + ")", doOpen(path));
    }

    private SysReturn doOpen(String path) {
        if (denied.containsKey(path)) {
            return SysReturn.error(denied.get(path));
        }
        if (path.equals(devRoot + "/vfio/vfio")) {
            return SysReturn.ok(install(new Container()));
        }
        if (path.equals(devRoot + "/iommu")) {
            return SysReturn.ok(install(new Iommufd()));
        }
        String cdevPrefix = devRoot + "/vfio/devices/";
        if (path.startsWith(cdevPrefix)) {
            Device d = cdevs.get(path.substring(cdevPrefix.length()));
            if (d == null) {
                return SysReturn.error(ENOENT);
            }
            if (d.opens > 0) {
                return SysReturn.error(Errno.EBUSY);
            }
            d.cdevOpen = true;
            d.opens++;
            return SysReturn.ok(install(new DeviceFile(d, true)));
        }
        String groupPrefix = devRoot + "/vfio/";
        if (path.startsWith(groupPrefix) && groups.containsKey(path.substring(groupPrefix.length()))) {
            return SysReturn.ok(install(new GroupFile(groups.get(path.substring(groupPrefix.length())))));
        }
        return SysReturn.error(ENOENT);
    }

    @Override
    public synchronized SysReturn close(int fd) {
        Object file = fds.remove(fd);
        if (file == null) {
            return logged("close(" + fd + ")", SysReturn.error(EBADF));
        }
        if (file instanceof DataFile df) {
            df.session.close();
        } else if (file instanceof DeviceFile df) {
            df.device.opens--;
            if (df.device.opens == 0) {
                // vfio_pci_core_close_device resets the device: the next open finds it RUNNING.
                df.device.cdevOpen = false;
                df.device.driver.reset();
            }
        } else if (file instanceof GroupFile gf && gf.group.container != null) {
            gf.group.container.groups.remove(gf.group);
            gf.group.container = null;
        }
        return logged("close(" + fd + ")", SysReturn.ok(0));
    }

    @Override
    public synchronized SysReturn ioctl(int fd, long request, byte[] buffer) {
        String name = describe(request, buffer);
        return logged("ioctl(" + fd + ", " + name + ")", doIoctl(fd, request, buffer));
    }

    @Override
    public synchronized SysReturn ioctl(int fd, long request, long value) {
        return logged("ioctl(" + fd + ", " + describe(request, null) + ", " + value + ")", doIoctl(fd, request, value));
    }

    private SysReturn doIoctl(int fd, long request, long value) {
        Object file = fds.get(fd);
        if (file == null) {
            return SysReturn.error(EBADF);
        }
        if (file instanceof Container c) {
            if (request == VfioIoctl.GET_API_VERSION.request()) {
                return SysReturn.ok(0);
            }
            if (request == VfioIoctl.CHECK_EXTENSION.request()) {
                return SysReturn.ok(value == 1 || value == 3 ? 1 : 0);
            }
            if (request == VfioIoctl.SET_IOMMU.request()) {
                if (c.groups.isEmpty() || (value != 1 && value != 3)) {
                    return SysReturn.error(Errno.EINVAL);
                }
                c.iommuSet = true;
                return SysReturn.ok(0);
            }
            return SysReturn.error(Errno.ENOTTY);
        }
        if (file instanceof DeviceFile df) {
            if (df.cdev && !df.bound) {
                return SysReturn.error(Errno.EINVAL);
            }
            if (request == VfioIoctl.DEVICE_RESET.request()) {
                df.device.driver.reset();
                return SysReturn.ok(0);
            }
            // Every other device request takes a pointer; an integer is a bad address.
            return SysReturn.error(request == VfioIoctl.DEVICE_FEATURE.request() ? Errno.EFAULT : Errno.ENOTTY);
        }
        return SysReturn.error(Errno.ENOTTY);
    }

    private SysReturn doIoctl(int fd, long request, byte[] buffer) {
        Object file = fds.get(fd);
        if (file == null) {
            return SysReturn.error(EBADF);
        }
        ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        if (file instanceof GroupFile gf) {
            return groupIoctl(gf.group, request, b, buffer);
        }
        if (file instanceof Iommufd i) {
            if (request != CdevOpener.IOMMU_IOAS_ALLOC) {
                return SysReturn.error(Errno.ENOTTY);
            }
            if (buffer.length < 12 || b.getInt(0) < 12 || b.getInt(4) != 0) {
                return SysReturn.error(Errno.EINVAL);
            }
            int id = i.nextId++;
            i.ioas.add(id);
            b.putInt(8, id);
            return SysReturn.ok(0);
        }
        if (file instanceof DeviceFile df) {
            return deviceIoctl(df, request, b, buffer);
        }
        if (file instanceof DataFile data) {
            return dataIoctl(data, request, b, buffer);
        }
        return SysReturn.error(Errno.ENOTTY);
    }

    private SysReturn groupIoctl(Group g, long request, ByteBuffer b, byte[] buffer) {
        if (request == VfioIoctl.GROUP_GET_STATUS.request()) {
            if (buffer.length < 8 || b.getInt(0) < 8) {
                return SysReturn.error(Errno.EINVAL);
            }
            b.putInt(4, (g.viable ? 1 : 0) | (g.container != null ? 2 : 0));
            return SysReturn.ok(0);
        }
        if (request == VfioIoctl.GROUP_SET_CONTAINER.request()) {
            Object c = fds.get(b.getInt(0));
            if (!(c instanceof Container)) {
                return SysReturn.error(EBADF);
            }
            if (g.container != null) {
                return SysReturn.error(Errno.EINVAL);
            }
            if (!g.viable) {
                return SysReturn.error(EPERM);
            }
            g.container = (Container) c;
            g.container.groups.add(g);
            return SysReturn.ok(0);
        }
        if (request == VfioIoctl.GROUP_GET_DEVICE_FD.request()) {
            if (g.container == null || !g.container.iommuSet) {
                return SysReturn.error(Errno.EINVAL);
            }
            int nul = 0;
            while (nul < buffer.length && buffer[nul] != 0) {
                nul++;
            }
            String name = new String(buffer, 0, nul, StandardCharsets.US_ASCII);
            Optional<Device> d = g.devices.stream().filter(x -> x.pciAddress.equals(name)).findFirst();
            if (d.isEmpty()) {
                return SysReturn.error(Errno.ENODEV);
            }
            if (d.get().cdevOpen) {
                return SysReturn.error(Errno.EBUSY);
            }
            d.get().opens++;
            return SysReturn.ok(install(new DeviceFile(d.get(), false)));
        }
        return SysReturn.error(Errno.ENOTTY);
    }

    private SysReturn deviceIoctl(DeviceFile df, long request, ByteBuffer b, byte[] buffer) {
        if (request == VfioIoctl.DEVICE_BIND_IOMMUFD.request()) {
            if (!df.cdev || buffer.length < 16 || b.getInt(0) < 16 || b.getInt(4) != 0 || df.bound) {
                return SysReturn.error(Errno.EINVAL);
            }
            if (!(fds.get(b.getInt(8)) instanceof Iommufd)) {
                return SysReturn.error(EBADF);
            }
            df.bound = true;
            b.putInt(12, 1);
            return SysReturn.ok(0);
        }
        if (df.cdev && !df.bound) {
            return SysReturn.error(Errno.EINVAL);
        }
        if (request == VfioIoctl.DEVICE_ATTACH_IOMMUFD_PT.request()) {
            if (!df.cdev || buffer.length < 12 || b.getInt(0) < 12 || b.getInt(4) != 0) {
                return SysReturn.error(Errno.EINVAL);
            }
            boolean known = fds.values().stream().anyMatch(f -> f instanceof Iommufd i && i.ioas.contains(b.getInt(8)));
            return known ? SysReturn.ok(0) : SysReturn.error(ENOENT);
        }
        if (request == VfioIoctl.DEVICE_FEATURE.request()) {
            return feature(df.device, b, buffer);
        }
        if (request == VfioIoctl.DEVICE_RESET.request()) {
            df.device.driver.reset();
            return SysReturn.ok(0);
        }
        return SysReturn.error(Errno.ENOTTY);
    }

    /** {@code vfio_ioctl_device_feature()}: the checks in the kernel's order. */
    private SysReturn feature(Device d, ByteBuffer b, byte[] buffer) {
        if (buffer.length < 8) {
            return SysReturn.error(Errno.EFAULT);
        }
        long argsz = Integer.toUnsignedLong(b.getInt(0));
        long flags = Integer.toUnsignedLong(b.getInt(4));
        if (argsz < 8) {
            return SysReturn.error(Errno.EINVAL);
        }
        if ((flags & ~FeatureFlags.KNOWN_BITS) != 0) {
            return SysReturn.error(Errno.EINVAL);
        }
        if ((flags & PROBE) == 0 && (flags & SET) != 0 && (flags & GET) != 0) {
            return SysReturn.error(Errno.EINVAL);
        }
        long payload = argsz - 8;
        Optional<FeatureId> id = FeatureId.fromValue(flags & FeatureFlags.MASK);
        if (id.isEmpty()) {
            return SysReturn.error(Errno.ENOTTY); // vfio-pci's device_feature op: unknown id
        }
        switch (id.get()) {
            case MIGRATION: {
                Optional<SysReturn> early = migrationFeature(d, flags, payload, GET, buffer);
                if (early.isPresent()) {
                    return early.get();
                }
                b.putLong(8, d.driver.migrationFlags().ok().orElseThrow().raw());
                return SysReturn.ok(0);
            }
            case MIG_DEVICE_STATE:
                return migDeviceState(d, flags, payload, b, buffer);
            case MIG_DATA_SIZE: {
                Optional<SysReturn> early = migrationFeature(d, flags, payload, GET, buffer);
                if (early.isPresent()) {
                    return early.get();
                }
                b.putLong(8, d.driver.stopCopySize().ok().orElseThrow());
                return SysReturn.ok(0);
            }
            case DMA_LOGGING_START:
            case DMA_LOGGING_STOP:
            case DMA_LOGGING_REPORT:
                return SysReturn.error(Errno.ENOTTY); // no log_ops
            default:
                return SysReturn.error(Errno.ENOTTY); // vfio-pci features this fake does not model
        }
    }

    /**
     * The start every migration feature handler shares: ENOTTY without {@code mig_ops}, then
     * {@code vfio_check_feature()} with an 8-byte payload; the answer to give now, or empty to go on.
     */
    private static Optional<SysReturn> migrationFeature(Device d, long flags, long payload, long supported, byte[] buffer) {
        if (!d.migOps()) {
            return Optional.of(SysReturn.error(Errno.ENOTTY));
        }
        int check = checkFeature(flags, payload, supported, 8);
        if (check <= 0) {
            return Optional.of(check == 0 ? SysReturn.ok(0) : SysReturn.error(-check));
        }
        if (buffer.length < 16) {
            return Optional.of(SysReturn.error(Errno.EFAULT));
        }
        return Optional.empty();
    }

    /** {@code vfio_check_feature()}: 1 = go on, 0 = a PROBE that succeeded, negative = -errno. */
    private static int checkFeature(long flags, long payload, long supported, long minsz) {
        if (((flags & (GET | SET)) & ~supported) != 0) {
            return -Errno.EINVAL.value();
        }
        if ((flags & PROBE) != 0) {
            return 0;
        }
        if ((flags & (GET | SET)) == 0) {
            return -Errno.EINVAL.value();
        }
        if (payload < minsz) {
            return -Errno.EINVAL.value();
        }
        return 1;
    }

    private SysReturn migDeviceState(Device d, long flags, long payload, ByteBuffer b, byte[] buffer) {
        Optional<SysReturn> early = migrationFeature(d, flags, payload, GET | SET, buffer);
        if (early.isPresent()) {
            return early.get();
        }
        if ((flags & GET) != 0) {
            b.putInt(8, d.driver.state().ok().orElseThrow().value());
            b.putInt(12, -1);
            return SysReturn.ok(0);
        }
        long requested = Integer.toUnsignedLong(b.getInt(8));
        int errno = 0;
        int dataFd = -1;
        Optional<MigrationState> target = MigrationState.fromValue(requested);
        FlagsReading reading = d.driver.migrationFlags().ok().orElseThrow().read();
        if (target.isEmpty() || reading instanceof FlagsReading.Undefined) {
            errno = Errno.EINVAL.value(); // out of range, or flags the FSM tables cannot serve (WARN)
        } else {
            Transition plan = MigrationFsm.plan(((FlagsReading.Defined) reading).capability(),
                    d.driver.state().ok().orElseThrow(), target.get());
            if (plan instanceof Transition.Refused refused) {
                if (preFix && refused.reason() == Transition.Reason.BLOCKED_ARC) {
                    throw new IllegalStateException("a pre-fix kernel never returns from this SET: " + refused.message());
                }
                errno = refused.errno().value();
            } else {
                List<Arc> arcs = ((Transition.Path) plan).arcs();
                for (int i = 0; i < arcs.size() && errno == 0; i++) {
                    ArcResult r = d.driver.setState(arcs.get(i));
                    switch (r.kind()) {
                        case COMPLETED: {
                            Optional<DataSession> s = ((ArcResult.Completed) r).session();
                            if (s.isPresent() && i != arcs.size() - 1) {
                                errno = Errno.EINVAL.value(); // the driver WARNs: fd mid-path
                            } else if (s.isPresent()) {
                                dataFd = install(new DataFile(s.get()));
                            }
                            break;
                        }
                        case FAILED:
                            errno = ((ArcResult.Failed) r).errno();
                            break;
                        default:
                            errno = Errno.EINVAL.value();
                            break;
                    }
                }
            }
        }
        // vfio_ioctl_device_feature_mig_device_state: out_copy writes data_fd -1 and leaves
        // device_state as the caller's requested value, on success and on failure alike.
        b.putInt(12, dataFd);
        return errno == 0 ? SysReturn.ok(0) : SysReturn.error(errno);
    }

    private SysReturn dataIoctl(DataFile data, long request, ByteBuffer b, byte[] buffer) {
        if (request != VfioIoctl.MIG_GET_PRECOPY_INFO.request() || !(data.session instanceof SavingSession s)) {
            return SysReturn.error(Errno.ENOTTY);
        }
        if (buffer.length < PrecopyInfo.SIZE || Integer.toUnsignedLong(b.getInt(0)) < PrecopyInfo.SIZE) {
            return SysReturn.error(Errno.EINVAL);
        }
        Outcome<PrecopyInfo> info = s.preCopyInfo();
        if (!info.isDone()) {
            return SysReturn.error(info.failure().orElseThrow().errno());
        }
        b.putLong(8, info.ok().orElseThrow().initialBytes());
        b.putLong(16, info.ok().orElseThrow().dirtyBytes());
        return SysReturn.ok(0);
    }

    @Override
    public synchronized SysReturn read(int fd, ByteBuffer dst) {
        Object file = fds.get(fd);
        SysReturn r;
        if (file == null) {
            r = SysReturn.error(EBADF);
        } else if (file instanceof DataFile df && df.session instanceof SavingSession s) {
            ReadResult rr = s.read(dst);
            switch (rr.kind()) {
                case BYTES:
                    r = SysReturn.ok(((ReadResult.Bytes) rr).count());
                    break;
                case NO_DATA_NOW:
                    r = SysReturn.error(Errno.ENOMSG);
                    break;
                case END_OF_STREAM:
                    r = SysReturn.ok(0);
                    break;
                default:
                    r = SysReturn.error(((ReadResult.Failed) rr).errno());
                    break;
            }
        } else {
            r = SysReturn.error(file instanceof DataFile ? EBADF : Errno.EINVAL.value());
        }
        return logged("read(" + fd + ")", r);
    }

    @Override
    public synchronized SysReturn write(int fd, ByteBuffer src) {
        Object file = fds.get(fd);
        SysReturn r;
        if (file == null) {
            r = SysReturn.error(EBADF);
        } else if (file instanceof DataFile df && df.session instanceof ResumingSession s) {
            Outcome<Integer> w = s.write(src);
            r = w.isDone() ? SysReturn.ok(w.ok().orElseThrow()) : SysReturn.error(w.failure().orElseThrow().errno());
        } else {
            r = SysReturn.error(file instanceof DataFile ? EBADF : Errno.EINVAL.value());
        }
        return logged("write(" + fd + ")", r);
    }

    @Override
    public synchronized SysReturn poll(int fd, short events, int timeoutMillis) {
        Object file = fds.get(fd);
        if (file == null) {
            return SysReturn.error(EBADF);
        }
        if (file instanceof DataFile df && df.session instanceof SavingSession s) {
            Outcome<Boolean> ready = s.awaitReadable(Duration.ofMillis(timeoutMillis));
            // A disabled fd polls as an error/hangup in drivers; readiness is what callers test.
            return SysReturn.ok(ready.ok().orElse(true) ? POLLIN & events : 0);
        }
        return SysReturn.ok(POLLIN & events);
    }

    private static String describe(long request, byte[] buffer) {
        for (VfioIoctl i : VfioIoctl.values()) {
            if (i.request() == request && i.fd() != VfioIoctl.Fd.MIGRATION_DATA) {
                if (i == VfioIoctl.DEVICE_FEATURE && buffer != null && buffer.length >= 8) {
                    long flags = Integer.toUnsignedLong(ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
                    String op = ((flags & PROBE) != 0 ? "PROBE " : "") + ((flags & GET) != 0 ? "GET " : "")
                            + ((flags & SET) != 0 ? "SET " : "");
                    String feature = FeatureId.fromValue(flags & FeatureFlags.MASK).map(Enum::name)
                            .orElse("feature " + (flags & FeatureFlags.MASK));
                    String state = feature.equals("MIG_DEVICE_STATE") && (flags & SET) != 0 && buffer.length >= 12
                            ? " " + MigrationState.fromValue(ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN)
                                    .getInt(8)).map(Enum::name).orElse("?")
                            : "";
                    return i.kernelName() + " " + op + feature + state;
                }
                return i.kernelName();
            }
        }
        if (request == VfioIoctl.MIG_GET_PRECOPY_INFO.request()) {
            return VfioIoctl.MIG_GET_PRECOPY_INFO.kernelName();
        }
        if (request == CdevOpener.IOMMU_IOAS_ALLOC) {
            return "IOMMU_IOAS_ALLOC";
        }
        return "0x" + Long.toHexString(request);
    }
}
