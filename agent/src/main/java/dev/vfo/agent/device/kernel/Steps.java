package dev.vfo.agent.device.kernel;

import dev.vfo.agent.device.Outcome;
import dev.vfo.core.vfio.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * The fds an opener has acquired so far: each step either succeeds or closes them all, so a
 * failed open leaks nothing.
 */
final class Steps {
    private final VfioSyscalls sys;
    private final List<Integer> fds = new ArrayList<>();
    private Outcome.Failed<OpenedDevice> failure;

    Steps(VfioSyscalls sys) {
        this.sys = sys;
    }

    boolean failed() {
        return failure != null;
    }

    /** Opens {@code path}; -1 after a failure. */
    int open(String path) {
        if (failed()) {
            return -1;
        }
        SysReturn r = sys.open(path, VfioSyscalls.O_RDWR | VfioSyscalls.O_CLOEXEC);
        if (r.failed()) {
            fail(r.errno(), "open " + path);
            return -1;
        }
        fds.add((int) r.value());
        return (int) r.value();
    }

    /** An ioctl with a struct; its return value, or -1 after a failure. */
    long ioctl(int fd, long request, byte[] buffer, String what) {
        if (failed()) {
            return -1;
        }
        return check(sys.ioctl(fd, request, buffer), what);
    }

    long ioctl(int fd, long request, long value, String what) {
        if (failed()) {
            return -1;
        }
        return check(sys.ioctl(fd, request, value), what);
    }

    /** A check the kernel's answer must pass, failing with EINVAL-like {@code errno} otherwise. */
    void require(boolean ok, Errno errno, String what) {
        if (!failed() && !ok) {
            fail(errno.value(), what);
        }
    }

    private long check(SysReturn r, String what) {
        if (r.failed()) {
            fail(r.errno(), what);
            return -1;
        }
        return r.value();
    }

    private void fail(int errno, String what) {
        failure = new Outcome.Failed<>(errno, what);
        for (int i = fds.size() - 1; i >= 0; i--) {
            sys.close(fds.get(i));
        }
        fds.clear();
    }

    /** The device fd with the others as holders, or the failure. */
    Outcome<OpenedDevice> finish(int deviceFd, String route) {
        if (failed()) {
            return failure;
        }
        List<Integer> holders = new ArrayList<>(fds);
        holders.remove(Integer.valueOf(deviceFd));
        return Outcome.done(new OpenedDevice(deviceFd, holders, route));
    }
}
