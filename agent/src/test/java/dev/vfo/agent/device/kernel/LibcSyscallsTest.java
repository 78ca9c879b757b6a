package dev.vfo.agent.device.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.abi.FeatureRequest;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNA binding against the real C library, on ordinary files (this machine has no VFIO
 * devices): calls reach libc, and errno comes back as the call's own.
 */
class LibcSyscallsTest {
    private final LibcSyscalls libc = new LibcSyscalls();

    @Test
    void errno_is_captured_per_call(@TempDir Path dir) throws Exception {
        assertThat(libc.open(dir.resolve("missing").toString(), VfioSyscalls.O_RDWR).errno()).isEqualTo(2);
        SysReturn opened = libc.open("/dev/null", VfioSyscalls.O_RDWR | VfioSyscalls.O_CLOEXEC);
        assertThat(opened.failed()).isFalse();
        int fd = (int) opened.value();
        byte[] feature = FeatureRequest.migrationGet().encode();
        assertThat(libc.ioctl(fd, VfioIoctl.DEVICE_FEATURE.request(), feature).errno())
                .as("a VFIO ioctl on a non-VFIO file").isEqualTo(Errno.ENOTTY.value());
        assertThat(libc.ioctl(fd, VfioIoctl.DEVICE_RESET.request(), 0L).errno()).isEqualTo(Errno.ENOTTY.value());
        assertThat(libc.read(fd, ByteBuffer.allocate(16)).value()).as("EOF").isZero();
        ByteBuffer src = ByteBuffer.wrap(new byte[100]);
        assertThat(libc.write(fd, src).value()).isEqualTo(100);
        assertThat(src.hasRemaining()).isFalse();
        assertThat(libc.poll(fd, VfioSyscalls.POLLIN, 0).value() & VfioSyscalls.POLLIN).isEqualTo(VfioSyscalls.POLLIN);
        assertThat(libc.close(fd).failed()).isFalse();
        assertThat(libc.close(fd).errno()).as("EBADF").isEqualTo(9);
    }

    @Test
    void reads_land_at_the_buffer_position(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "hello vfio", StandardCharsets.US_ASCII);
        int fd = (int) libc.open(file.toString(), 0).value();
        ByteBuffer dst = ByteBuffer.allocate(32);
        dst.put((byte) '>');
        assertThat(libc.read(fd, dst).value()).isEqualTo(10);
        assertThat(new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII)).isEqualTo(">hello vfio");
        assertThat(libc.write(fd, ByteBuffer.allocate(1)).errno()).as("write on a read-only fd").isEqualTo(9);
        libc.close(fd);
    }

    @Test
    void direct_buffers_are_read_and_written_in_place(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d");
        Files.createFile(file);
        int out = (int) libc.open(file.toString(), VfioSyscalls.O_RDWR).value();
        ByteBuffer src = ByteBuffer.allocateDirect(64);
        src.put("xxdirect bytes".getBytes(StandardCharsets.US_ASCII)).flip().position(2);
        assertThat(libc.write(out, src).value()).isEqualTo(12);
        assertThat(src.hasRemaining()).isFalse();
        libc.close(out);
        int in = (int) libc.open(file.toString(), 0).value();
        ByteBuffer dst = ByteBuffer.allocateDirect(64);
        dst.position(5);
        assertThat(libc.read(in, dst).value()).isEqualTo(12);
        assertThat(dst.position()).isEqualTo(17);
        byte[] got = new byte[12];
        dst.flip().position(5);
        dst.get(got);
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("direct bytes");
        libc.close(in);
    }
}
