package dev.vfo.agent.device.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * {@link VfioSyscalls} through JNA to the C library (Java 17 has no final FFM API). Every call
 * declares {@link LastErrorException}, so JNA captures errno right after the call, before the JVM
 * can overwrite it, and the failure becomes a {@link SysReturn} with that errno.
 *
 * <p>Only {@code open}, {@code close}, {@code read}, {@code write} and {@code poll} on ordinary
 * files are exercised on the build machine (it has no VFIO devices); the VFIO ioctls go through
 * the same {@code ioctl} binding, verified there only against a non-VFIO fd (ENOTTY).
 */
public final class LibcSyscalls implements VfioSyscalls {

    /** The libc symbols, bound lazily so that merely constructing a CLI command loads nothing native. */
    interface C extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

        int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

        NativeLong read(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

        NativeLong write(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

        int poll(Pointer fds, int nfds, int timeout) throws LastErrorException;
    }

    private static final class Holder {
        static final C LIBC = Native.load("c", C.class);
    }

    private static C c() {
        return Holder.LIBC;
    }

    @Override
    public SysReturn open(String path, int flags) {
        try {
            return SysReturn.ok(c().open(path, flags));
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }

    @Override
    public SysReturn close(int fd) {
        try {
            return SysReturn.ok(c().close(fd));
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }

    @Override
    public SysReturn ioctl(int fd, long request, byte[] buffer) {
        try (Memory m = new Memory(Math.max(1, buffer.length))) {
            m.write(0, buffer, 0, buffer.length);
            try {
                return SysReturn.ok(c().ioctl(fd, new NativeLong(request), m));
            } catch (LastErrorException e) {
                return SysReturn.error(e.getErrorCode());
            } finally {
                // The kernel copies a struct back on failure too (a failed SET echoes the request).
                m.read(0, buffer, 0, buffer.length);
            }
        }
    }

    @Override
    public SysReturn ioctl(int fd, long request, long value) {
        try {
            return SysReturn.ok(c().ioctl(fd, new NativeLong(request), new NativeLong(value)));
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }

    /**
     * Direct buffers are read into in place (the stream path: no copy, no native allocation per
     * call); heap buffers go through a temporary native block.
     */
    @Override
    public SysReturn read(int fd, ByteBuffer dst) {
        int want = dst.remaining();
        try {
            if (dst.isDirect()) {
                long n = c().read(fd, at(dst), new NativeLong(want)).longValue();
                dst.position(dst.position() + (int) n);
                return SysReturn.ok(n);
            }
            try (Memory m = new Memory(Math.max(1, want))) {
                long n = c().read(fd, m, new NativeLong(want)).longValue();
                if (n > 0) {
                    dst.put(m.getByteArray(0, (int) n));
                }
                return SysReturn.ok(n);
            }
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }

    @Override
    public SysReturn write(int fd, ByteBuffer src) {
        int have = src.remaining();
        try {
            long n;
            if (src.isDirect()) {
                n = c().write(fd, at(src), new NativeLong(have)).longValue();
            } else {
                try (Memory m = new Memory(Math.max(1, have))) {
                    byte[] bytes = new byte[have];
                    src.duplicate().get(bytes);
                    m.write(0, bytes, 0, have);
                    n = c().write(fd, m, new NativeLong(have)).longValue();
                }
            }
            src.position(src.position() + (int) n);
            return SysReturn.ok(n);
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }

    private static Pointer at(ByteBuffer direct) {
        return Native.getDirectBufferPointer(direct).share(direct.position());
    }

    @Override
    public SysReturn poll(int fd, short events, int timeoutMillis) {
        // struct pollfd { int fd; short events; short revents; }
        try (Memory m = new Memory(8)) {
            m.setInt(0, fd);
            m.setShort(4, events);
            m.setShort(6, (short) 0);
            int ready = c().poll(m, 1, timeoutMillis);
            return SysReturn.ok(ready == 0 ? 0 : m.getShort(6) & 0xffff);
        } catch (LastErrorException e) {
            return SysReturn.error(e.getErrorCode());
        }
    }
}
