package dev.vfo.agent.device.kernel;

import dev.vfo.core.vfio.Errno;

/**
 * What one system call returned: {@code value} (an fd, a byte count, an ioctl's return) when
 * {@code errno} is 0, otherwise the errno it failed with. The seam returns values, not
 * exceptions, because most kernel failures are answers the caller must act on.
 */
public record SysReturn(long value, int errno) {
    public SysReturn {
        if (errno < 0) {
            throw new IllegalArgumentException("errno must not be negative");
        }
    }

    public static SysReturn ok(long value) {
        return new SysReturn(value, 0);
    }

    public static SysReturn error(int errno) {
        if (errno <= 0) {
            throw new IllegalArgumentException("a failed call has a positive errno, was " + errno);
        }
        return new SysReturn(-1, errno);
    }

    public static SysReturn error(Errno errno) {
        return error(errno.value());
    }

    public boolean failed() {
        return errno != 0;
    }

    @Override
    public String toString() {
        return failed() ? Errno.describe(errno) : Long.toString(value);
    }
}
