package dev.vfo.agent.device.kernel;

import java.nio.ByteBuffer;

/** Passes every call through; tests override one call to make the kernel misbehave in one way. */
class SyscallsDelegate implements VfioSyscalls {
    final VfioSyscalls kernel;

    SyscallsDelegate(VfioSyscalls kernel) {
        this.kernel = kernel;
    }

    @Override
    public SysReturn open(String path, int flags) {
        return kernel.open(path, flags);
    }

    @Override
    public SysReturn close(int fd) {
        return kernel.close(fd);
    }

    @Override
    public SysReturn ioctl(int fd, long request, byte[] buffer) {
        return kernel.ioctl(fd, request, buffer);
    }

    @Override
    public SysReturn ioctl(int fd, long request, long value) {
        return kernel.ioctl(fd, request, value);
    }

    @Override
    public SysReturn read(int fd, ByteBuffer dst) {
        return kernel.read(fd, dst);
    }

    @Override
    public SysReturn write(int fd, ByteBuffer src) {
        return kernel.write(fd, src);
    }

    @Override
    public SysReturn poll(int fd, short events, int timeoutMillis) {
        return kernel.poll(fd, events, timeoutMillis);
    }
}
