package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.DataSession;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.StreamTally;
import dev.vfo.agent.device.VfioDevice;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.abi.FeatureRequest;
import dev.vfo.core.vfio.abi.MigStateFeature;
import dev.vfo.core.vfio.abi.PrecopyInfo;
import dev.vfo.core.vfio.abi.StructDecodeException;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A VFIO device through the kernel's migration uAPI: VFIO_DEVICE_FEATURE (MIGRATION,
 * MIG_DEVICE_STATE, MIG_DATA_SIZE), VFIO_DEVICE_RESET, and the data fds with read, write, poll
 * and VFIO_MIG_GET_PRECOPY_INFO, all through {@link VfioSyscalls}.
 *
 * <p>Before each SET it GETs the state, and sends the arc only from the arc's source state, so the
 * kernel walks exactly that one arc. After a failed SET it never believes the struct the kernel
 * copied back (which holds the <em>requested</em> state): it GETs the real one.
 */
public final class KernelDevice implements VfioDevice {
    /** EBADF: the fd was already closed by us; the number is never passed to the kernel again. */
    static final int EBADF = 9;
    /** EPROTO: the kernel answered something the uAPI does not allow (e.g. an undefined state). */
    static final int EPROTO = 71;

    private final String name;
    private final VfioSyscalls sys;
    private final OpenedDevice opened;
    private volatile MigrationState lastSeen = MigrationState.RUNNING;
    private MigrationFlags flags;
    private boolean closed;

    public KernelDevice(String name, VfioSyscalls sys, OpenedDevice opened) {
        this.name = Objects.requireNonNull(name, "name");
        this.sys = Objects.requireNonNull(sys, "sys");
        this.opened = Objects.requireNonNull(opened, "opened");
    }

    @Override
    public String name() {
        return name;
    }

    OpenedDevice opened() {
        return opened;
    }

    /** How the device was opened (cdev or group path). */
    public String route() {
        return opened.route();
    }

    /** The flags are read once: a device's capability does not change while it is open. */
    @Override
    public synchronized Outcome<MigrationFlags> migrationFlags() {
        if (flags != null) {
            return Outcome.done(flags);
        }
        Outcome<MigrationFlags> read = feature(FeatureRequest.migrationGet(), "GET MIGRATION", r -> r.migration().flags());
        read.ok().ifPresent(f -> flags = f);
        return read;
    }

    @Override
    public synchronized Outcome<MigrationState> state() {
        Outcome<MigrationState> s = feature(FeatureRequest.migStateGet(), "GET MIG_DEVICE_STATE",
                r -> r.migState().deviceState());
        s.ok().ifPresent(state -> lastSeen = state);
        return s;
    }

    @Override
    public synchronized Outcome<Long> stopCopySize() {
        return feature(FeatureRequest.migDataSizeGet(), "GET MIG_DATA_SIZE", r -> r.migDataSize().stopCopyLength());
    }

    @Override
    public synchronized ArcResult setState(Arc arc) {
        Objects.requireNonNull(arc, "arc");
        Outcome<MigrationFlags> flags = migrationFlags();
        if (!flags.isDone()) {
            return new ArcResult.NotSent(arc, flags.failure().orElseThrow().retype(), "the migration flags could not be read");
        }
        FlagsReading reading = flags.ok().orElseThrow().read();
        if (reading instanceof FlagsReading.Undefined undefined) {
            return new ArcResult.NotSent(arc, state(), undefined.reason());
        }
        if (((FlagsReading.Defined) reading).capability() != arc.capability()) {
            return new ArcResult.NotSent(arc, state(), "the arc was planned for flags " + arc.capability().label()
                    + ", the device reports " + flags.ok().orElseThrow().describe());
        }
        Outcome<MigrationState> before = state();
        if (before.ok().filter(s -> s == arc.from()).isEmpty()) {
            return new ArcResult.NotSent(arc, before, before.isDone()
                    ? "the device is in " + before.ok().orElseThrow() + ", not " + arc.from()
                    : "the state could not be read before the SET");
        }
        byte[] buffer = FeatureRequest.migStateSet(arc).encode();
        SysReturn r = sys.ioctl(opened.deviceFd(), VfioIoctl.DEVICE_FEATURE.request(), buffer);
        if (r.failed()) {
            String echoed = echoed(buffer);
            return new ArcResult.Failed(arc, r.errno(), "VFIO_DEVICE_FEATURE SET MIG_DEVICE_STATE " + arc.to()
                    + " from " + arc.from() + " failed; the kernel echoed " + echoed + ", so the state was read back",
                    state());
        }
        MigStateFeature answer;
        try {
            answer = FeatureRequest.decode(buffer).migState();
        } catch (StructDecodeException e) {
            return new ArcResult.Failed(arc, EPROTO, "the SET's answer does not decode: " + e.getMessage(), state());
        }
        lastSeen = arc.to();
        if (arc.opensDataSession() != answer.hasDataFd()) {
            if (answer.hasDataFd()) {
                sys.close(answer.dataFd());
            }
            return new ArcResult.Failed(arc, EPROTO, "the kernel " + (answer.hasDataFd() ? "returned" : "did not return")
                    + " a data fd on " + arc + ", which " + (arc.opensDataSession() ? "opens" : "does not open")
                    + " a session", state());
        }
        if (!answer.hasDataFd()) {
            return new ArcResult.Completed(arc, Optional.empty());
        }
        DataSession session = arc.to() == MigrationState.RESUMING
                ? new Resuming(answer.dataFd()) : new Saving(answer.dataFd());
        return new ArcResult.Completed(arc, Optional.of(session));
    }

    @Override
    public synchronized Outcome<MigrationState> reset() {
        SysReturn r = sys.ioctl(opened.deviceFd(), VfioIoctl.DEVICE_RESET.request(), 0L);
        if (r.failed()) {
            return Outcome.failed(r.errno(), "VFIO_DEVICE_RESET");
        }
        return state();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            opened.close(sys);
        }
    }

    private <T> Outcome<T> feature(FeatureRequest request, String what, Function<FeatureRequest, T> answer) {
        if (closed) {
            return Outcome.failed(EBADF, "VFIO_DEVICE_FEATURE " + what + " on a closed device");
        }
        byte[] buffer = request.encode();
        SysReturn r = sys.ioctl(opened.deviceFd(), VfioIoctl.DEVICE_FEATURE.request(), buffer);
        if (r.failed()) {
            return Outcome.failed(r.errno(), "VFIO_DEVICE_FEATURE " + what);
        }
        try {
            return Outcome.done(answer.apply(FeatureRequest.decode(buffer)));
        } catch (StructDecodeException e) {
            return Outcome.failed(EPROTO, "VFIO_DEVICE_FEATURE " + what + " answered bytes that do not decode: "
                    + e.getMessage());
        }
    }

    private static String echoed(byte[] buffer) {
        try {
            MigStateFeature echo = FeatureRequest.decode(buffer).migState();
            return echo.deviceState() + " with data_fd " + echo.dataFd();
        } catch (StructDecodeException e) {
            return "undecodable bytes";
        }
    }

    /** A data fd: closed once, and never passed to the kernel again after that. */
    private abstract class DataFd {
        final int fd;
        final StreamTally tally = new StreamTally();
        boolean open = true;

        DataFd(int fd) {
            this.fd = fd;
        }

        public synchronized long bytesMoved() {
            return tally.bytes();
        }

        public synchronized String sha256() {
            return tally.sha256();
        }

        public synchronized boolean isOpen() {
            return open;
        }

        public synchronized void close() {
            if (open) {
                open = false;
                sys.close(fd);
            }
        }
    }

    private final class Saving extends DataFd implements SavingSession {
        Saving(int fd) {
            super(fd);
        }

        @Override
        public synchronized ReadResult read(ByteBuffer dst) {
            if (!dst.hasRemaining()) {
                throw new IllegalArgumentException("read into a full buffer");
            }
            if (!open) {
                return new ReadResult.Failed(EBADF, "read on a closed data fd");
            }
            int from = dst.position();
            SysReturn r = sys.read(fd, dst);
            if (r.failed()) {
                if (r.errno() == Errno.ENOMSG.value()) {
                    return new ReadResult.NoDataNow();
                }
                return new ReadResult.Failed(r.errno(), "read on the saving data fd");
            }
            if (r.value() == 0) {
                // The header asks for ENOMSG at PRE_COPY's temporary end, but some drivers (the mtty
                // sample) return 0 there: only in STOP_COPY does 0 mean the stream is complete.
                MigrationState s = lastSeen;
                return s == MigrationState.PRE_COPY || s == MigrationState.PRE_COPY_P2P
                        ? new ReadResult.NoDataNow() : new ReadResult.EndOfStream();
            }
            tally.add(dst, from);
            return new ReadResult.Bytes((int) r.value());
        }

        @Override
        public synchronized Outcome<PrecopyInfo> preCopyInfo() {
            if (!open) {
                return Outcome.failed(EBADF, "PRECOPY_INFO on a closed data fd");
            }
            byte[] buffer = PrecopyInfo.request().encode();
            SysReturn r = sys.ioctl(fd, VfioIoctl.MIG_GET_PRECOPY_INFO.request(), buffer);
            if (r.failed()) {
                return Outcome.failed(r.errno(), "VFIO_MIG_GET_PRECOPY_INFO");
            }
            return Outcome.done(PrecopyInfo.decode(buffer));
        }

        @Override
        public synchronized Outcome<Boolean> awaitReadable(Duration timeout) {
            if (!open) {
                return Outcome.failed(EBADF, "poll on a closed data fd");
            }
            SysReturn r = sys.poll(fd, VfioSyscalls.POLLIN, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            if (r.failed()) {
                return Outcome.failed(r.errno(), "poll on the saving data fd");
            }
            return Outcome.done((r.value() & VfioSyscalls.POLLIN) != 0);
        }
    }

    private final class Resuming extends DataFd implements ResumingSession {
        Resuming(int fd) {
            super(fd);
        }

        @Override
        public synchronized Outcome<Integer> write(ByteBuffer src) {
            if (!open) {
                return Outcome.failed(EBADF, "write on a closed data fd");
            }
            int from = src.position();
            SysReturn r = sys.write(fd, src);
            if (r.failed()) {
                return Outcome.failed(r.errno(), "write on the resuming data fd");
            }
            tally.add(src, from);
            return Outcome.done((int) r.value());
        }
    }
}
