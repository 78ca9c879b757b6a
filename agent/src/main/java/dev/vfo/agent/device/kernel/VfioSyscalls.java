package dev.vfo.agent.device.kernel;

import java.nio.ByteBuffer;

/**
 * The native seam: the few libc calls the kernel backend makes, and nothing above them. The
 * production implementation is {@link LibcSyscalls} (JNA); tests answer the same calls with an
 * in-memory kernel that follows {@code vfio_main.c}'s errno rules, so everything above this
 * interface is tested without VFIO hardware.
 *
 * <p>Pointer arguments are byte arrays holding the exact struct (or string) bytes: the call reads
 * them and writes the kernel's answer back into the same array, as the kernel does with the user
 * buffer.
 */
public interface VfioSyscalls {
    int O_RDWR = 02;
    int O_CLOEXEC = 02000000;
    short POLLIN = 0x1;

    /** {@code open(path, flags)}: the new fd. */
    SysReturn open(String path, int flags);

    /** {@code close(fd)}. */
    SysReturn close(int fd);

    /** {@code ioctl(fd, request, arg)} with {@code arg} pointing at a copy of {@code buffer}, copied back after. */
    SysReturn ioctl(int fd, long request, byte[] buffer);

    /** {@code ioctl(fd, request, value)} for requests taking an integer (or nothing: pass 0). */
    SysReturn ioctl(int fd, long request, long value);

    /** {@code read(fd, ...)} into {@code dst}'s remaining space; advances its position by the count. */
    SysReturn read(int fd, ByteBuffer dst);

    /** {@code write(fd, ...)} of {@code src}'s remaining bytes; advances its position by the count. */
    SysReturn write(int fd, ByteBuffer src);

    /** {@code poll} on one fd: the returned events (0 on timeout). */
    SysReturn poll(int fd, short events, int timeoutMillis);
}
