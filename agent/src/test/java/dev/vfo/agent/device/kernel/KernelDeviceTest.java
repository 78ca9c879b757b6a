package dev.vfo.agent.device.kernel;

import static dev.vfo.core.vfio.MigrationState.ERROR;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.Pump;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.Walk;
import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.ContentIdentity;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import dev.vfo.core.vfio.abi.VfioIoctl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KernelDeviceTest {
    private final KernelFixture f = new KernelFixture();

    private static Arc arc(MigrationCapability cap, MigrationState from, MigrationState to) {
        return ((Transition.Path) MigrationFsm.plan(cap, from, to)).arcs().get(0);
    }

    @Test
    void a_migration_through_the_kernel_backend_moves_the_state_byte_for_byte() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("src").withSizes(200_000, 3_000)
                .withContent(new ContentIdentity("src", 5, 9)).withChunk(16_384));
        SimulatedDevice dstDriver = f.add("0000:02:00.0", "8", null, SimulatedDeviceSpec.of("dst"));
        KernelDevice src = f.open("0000:01:00.0", "7", "vfio0");
        KernelDevice dst = f.open("0000:02:00.0", "8", null);
        assertThat(src.route()).startsWith("cdev /dev/vfio/devices/vfio0");
        assertThat(dst.route()).startsWith("group /dev/vfio/8");
        DeviceStepper source = new DeviceStepper(src, f.clock);
        DeviceStepper destination = new DeviceStepper(dst, f.clock);

        assertThat(source.walk(PRE_COPY).kind()).isEqualTo(Walk.Kind.REACHED);
        assertThat(destination.walk(RESUMING).kind()).isEqualTo(Walk.Kind.REACHED);
        SavingSession saving = source.savingSession().orElseThrow();
        assertThat(saving.awaitReadable(Duration.ZERO).ok()).contains(true);
        assertThat(Pump.drain(saving, destination.resumingSession().orElseThrow(), 5_000).kind())
                .isEqualTo(ReadResult.Kind.NO_DATA_NOW);
        assertThat(saving.preCopyInfo().ok().orElseThrow().drained()).isTrue();
        assertThat(saving.awaitReadable(Duration.ZERO).ok()).contains(false);
        assertThat(src.stopCopySize().ok().orElseThrow()).isEqualTo(3_000 + 24 + 24 + 16);
        assertThat(source.walk(STOP_COPY).kind()).isEqualTo(Walk.Kind.REACHED);
        assertThat(Pump.drain(saving, destination.resumingSession().orElseThrow(), 5_000).kind())
                .isEqualTo(ReadResult.Kind.END_OF_STREAM);
        Walk stop = source.walk(STOP);
        Walk commit = destination.walk(RUNNING);
        assertThat(commit.kind()).isEqualTo(Walk.Kind.REACHED);
        assertThat(commit.completed().get(0).sha256()).isEqualTo(stop.completed().get(0).sha256());
        assertThat(dstDriver.content()).isEqualTo(new ContentIdentity("src", 5, 9));
        src.close();
        dst.close();
        assertThat(f.kernel.openFds()).isZero();
    }

    @Test
    void after_a_failed_set_the_state_is_read_back_not_taken_from_the_echo() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a")
                .withFault(ArcFault.once(RUNNING_P2P, STOP, Errno.EIO.value(), AfterFailure.ERROR))
                .withFault(ArcFault.once(RUNNING, RUNNING_P2P, Errno.ENOMEM.value(), AfterFailure.STAY)));
        KernelDevice d = f.open("0000:01:00.0", "7", "vfio0");
        MigrationCapability cap = MigrationCapability.STOP_COPY_P2P_PRE_COPY;

        ArcResult stay = d.setState(arc(cap, RUNNING, RUNNING_P2P));
        ArcResult.Failed stayed = (ArcResult.Failed) stay;
        assertThat(stayed.errno()).isEqualTo(Errno.ENOMEM.value());
        assertThat(stayed.readBack().ok()).contains(RUNNING);
        assertThat(stayed.detail()).contains("echoed RUNNING_P2P with data_fd -1");

        assertThat(d.setState(arc(cap, RUNNING, RUNNING_P2P)).kind()).isEqualTo(ArcResult.Kind.COMPLETED);
        f.kernel.clearLog();
        ArcResult.Failed failed = (ArcResult.Failed) d.setState(arc(cap, RUNNING_P2P, STOP));
        assertThat(failed.errno()).isEqualTo(Errno.EIO.value());
        assertThat(failed.detail()).contains("echoed STOP");
        assertThat(failed.readBack().ok()).contains(ERROR);
        List<String> calls = f.kernel.log().stream().map(l -> l.replaceFirst("^ioctl\\(\\d+, ", "")).collect(Collectors.toList());
        assertThat(calls).containsExactly(
                "VFIO_DEVICE_FEATURE GET MIG_DEVICE_STATE) = 0",
                "VFIO_DEVICE_FEATURE SET MIG_DEVICE_STATE STOP) = EIO(5)",
                "VFIO_DEVICE_FEATURE GET MIG_DEVICE_STATE) = 0");

        assertThat(d.reset().ok()).contains(RUNNING);
    }

    @Test
    void an_arc_from_elsewhere_or_for_other_flags_is_not_sent_to_the_kernel() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a").withCapability(MigrationCapability.STOP_COPY));
        KernelDevice d = f.open("0000:01:00.0", "7", "vfio0");
        f.kernel.clearLog();
        ArcResult.NotSent elsewhere = (ArcResult.NotSent) d.setState(arc(MigrationCapability.STOP_COPY, STOP, STOP_COPY));
        assertThat(elsewhere.actual().ok()).contains(RUNNING);
        ArcResult.NotSent otherFlags = (ArcResult.NotSent) d.setState(
                arc(MigrationCapability.STOP_COPY_P2P, RUNNING, RUNNING_P2P));
        assertThat(otherFlags.reason()).contains("planned for flags STOP_COPY|P2P");
        assertThat(f.kernel.log()).noneMatch(l -> l.contains(" SET "));
    }

    @Test
    void kernel_errnos_come_back_as_outcomes() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("none").withFlags(MigrationFlags.NONE));
        f.add("0000:02:00.0", "8", "vfio1", SimulatedDeviceSpec.of("odd").withFlags(new MigrationFlags(2)));
        KernelDevice none = f.open("0000:01:00.0", "7", "vfio0");
        assertThat(none.migrationFlags().failure().orElseThrow().errno()).isEqualTo(Errno.ENOTTY.value());
        assertThat(none.state().failure().orElseThrow().errno()).isEqualTo(Errno.ENOTTY.value());
        assertThat(none.stopCopySize().failure().orElseThrow().errno()).isEqualTo(Errno.ENOTTY.value());
        assertThat(none.reset().failure().orElseThrow().errno()).as("RESET works, the GET after it does not")
                .isEqualTo(Errno.ENOTTY.value());
        Walk.Refused refused = (Walk.Refused) new DeviceStepper(none, f.clock).walk(STOP);
        assertThat(refused.errno()).contains(Errno.ENOTTY);

        KernelDevice odd = f.open("0000:02:00.0", "8", "vfio1");
        Walk.Refused undefined = (Walk.Refused) new DeviceStepper(odd, f.clock).walk(STOP);
        assertThat(undefined.errno()).isEmpty();
        assertThat(undefined.reason()).contains("undefined combination");

        none.close();
        assertThat(none.state().failure().orElseThrow().errno()).isEqualTo(KernelDevice.EBADF);
    }

    @Test
    void sessions_end_with_ENODEV_and_a_closed_fd_is_never_reused() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a").withCapability(MigrationCapability.STOP_COPY));
        KernelDevice d = f.open("0000:01:00.0", "7", "vfio0");
        DeviceStepper s = new DeviceStepper(d, f.clock);
        s.walk(STOP_COPY);
        SavingSession saving = s.savingSession().orElseThrow();
        assertThat(saving.preCopyInfo().failure().orElseThrow().errno()).isEqualTo(Errno.EINVAL.value());
        assertThat(d.reset().ok()).contains(RUNNING);
        ReadResult stale = saving.read(ByteBuffer.allocate(8));
        assertThat(((ReadResult.Failed) stale).errno()).isEqualTo(Errno.ENODEV.value());
        saving.close();
        f.kernel.clearLog();
        assertThat(((ReadResult.Failed) saving.read(ByteBuffer.allocate(8))).errno()).isEqualTo(KernelDevice.EBADF);
        assertThat(saving.preCopyInfo().failure().orElseThrow().errno()).isEqualTo(KernelDevice.EBADF);
        assertThat(f.kernel.log()).isEmpty();
    }

    @Test
    void a_driver_that_returns_0_at_the_pre_copy_temporary_end_is_read_as_no_data_now() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("mtty").withSizes(1_000, 10));
        VfioSyscalls mtty = new ZeroAtTemporaryEnd(f.kernel);
        KernelDevice d = KernelFixture.open(mtty, "0000:01:00.0", "7", "vfio0");
        DeviceStepper s = new DeviceStepper(d, f.clock);
        s.walk(PRE_COPY);
        SavingSession saving = s.savingSession().orElseThrow();
        assertThat(Pump.drain(saving, null, 512).kind()).isEqualTo(ReadResult.Kind.NO_DATA_NOW);
        s.walk(STOP_COPY);
        assertThat(Pump.drain(saving, null, 512).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);
    }

    /** The mtty sample's behaviour: read returns 0, not ENOMSG, when pre-copy data is drained. */
    private static final class ZeroAtTemporaryEnd extends SyscallsDelegate {
        ZeroAtTemporaryEnd(VfioSyscalls kernel) {
            super(kernel);
        }

        @Override
        public SysReturn read(int fd, ByteBuffer dst) {
            SysReturn r = kernel.read(fd, dst);
            return r.errno() == Errno.ENOMSG.value() ? SysReturn.ok(0) : r;
        }
    }

    /** How the tampering seam below bends the kernel's answers. */
    private enum Tamper {
        NONE,
        /** A state GET answers device_state 9, which no uAPI defines. */
        UNDEFINED_STATE,
        /** A SET that opens a session comes back without its data fd. */
        SWALLOW_FD
    }

    @Test
    void answers_the_uapi_does_not_allow_are_EPROTO_not_guesses() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a").withCapability(MigrationCapability.STOP_COPY));
        Tamper[] mode = {Tamper.NONE};
        VfioSyscalls broken = new SyscallsDelegate(f.kernel) {
            @Override
            public SysReturn ioctl(int fd, long request, byte[] buffer) {
                SysReturn r = kernel.ioctl(fd, request, buffer);
                if (request != VfioIoctl.DEVICE_FEATURE.request() || buffer.length != 16) {
                    return r;
                }
                ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
                int flags = b.getInt(4);
                if (mode[0] == Tamper.UNDEFINED_STATE && flags == (0x10000 | 2)) {
                    b.putInt(8, 9);
                } else if (mode[0] == Tamper.SWALLOW_FD && flags == (0x20000 | 2) && b.getInt(12) >= 0) {
                    kernel.close(b.getInt(12));
                    b.putInt(12, -1);
                }
                return r;
            }
        };
        KernelDevice d = KernelFixture.open(broken, "0000:01:00.0", "7", "vfio0");
        MigrationCapability cap = MigrationCapability.STOP_COPY;
        assertThat(d.setState(arc(cap, RUNNING, STOP)).kind()).isEqualTo(ArcResult.Kind.COMPLETED);

        mode[0] = Tamper.UNDEFINED_STATE;
        Outcome.Failed<MigrationState> undefined = d.state().failure().orElseThrow();
        assertThat(undefined.errno()).isEqualTo(71);
        assertThat(undefined.detail()).contains("device_state 9");
        ArcResult.NotSent unread = (ArcResult.NotSent) d.setState(arc(cap, STOP, STOP_COPY));
        assertThat(unread.reason()).contains("could not be read");

        mode[0] = Tamper.SWALLOW_FD;
        ArcResult.Failed missingFd = (ArcResult.Failed) d.setState(arc(cap, STOP, STOP_COPY));
        assertThat(missingFd.errno()).isEqualTo(71);
        assertThat(missingFd.detail()).contains("did not return a data fd on STOP>STOP_COPY");
        assertThat(missingFd.readBack().ok()).as("the kernel did move").contains(STOP_COPY);
    }

    @Test
    void the_group_path_refuses_a_container_of_another_api_or_without_type1v2() {
        f.add("0000:01:00.0", "7", null, SimulatedDeviceSpec.of("a"));
        for (long[] answer : new long[][] {{1, 1}, {0, 0}}) {
            VfioSyscalls odd = new SyscallsDelegate(f.kernel) {
                @Override
                public SysReturn ioctl(int fd, long request, long value) {
                    if (request == VfioIoctl.GET_API_VERSION.request()) {
                        return SysReturn.ok(answer[0]);
                    }
                    if (request == VfioIoctl.CHECK_EXTENSION.request()) {
                        return SysReturn.ok(answer[1]);
                    }
                    return kernel.ioctl(fd, request, value);
                }
            };
            Outcome<OpenedDevice> refused = new GroupOpener(odd, "/dev").open(KernelFixture.host("0000:01:00.0", "7", null));
            assertThat(refused.failure().orElseThrow().errno()).isEqualTo(Errno.EINVAL.value());
            assertThat(refused.failure().orElseThrow().detail())
                    .contains(answer[0] != 0 ? "VFIO_GET_API_VERSION is 1" : "does not support VFIO_TYPE1v2_IOMMU");
            assertThat(f.kernel.openFds()).isZero();
        }
    }

    @Test
    void openers_name_the_failing_step_and_leak_no_fd() {
        f.add("0000:01:00.0", "7", "vfio0", SimulatedDeviceSpec.of("a"));
        f.kernel.deny("/dev/vfio/devices/vfio0", InMemoryKernel.EACCES);
        Outcome<OpenedDevice> denied = new CdevOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", "7", "vfio0"));
        assertThat(denied.failure().orElseThrow().errno()).isEqualTo(InMemoryKernel.EACCES);
        assertThat(denied.failure().orElseThrow().detail()).isEqualTo("open /dev/vfio/devices/vfio0");

        f.kernel.allow("/dev/vfio/devices/vfio0");
        f.kernel.deny("/dev/iommu", InMemoryKernel.EACCES);
        Outcome<OpenedDevice> noIommufd = new CdevOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", "7", "vfio0"));
        assertThat(noIommufd.failure().orElseThrow().detail()).isEqualTo("open /dev/iommu");
        assertThat(f.kernel.openFds()).as("the cdev opened before is closed again").isZero();
        f.kernel.setViable("7", false);
        Outcome<OpenedDevice> notViable = new GroupOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", "7", null));
        assertThat(notViable.failure().orElseThrow().errno()).isEqualTo(Errno.EBUSY.value());
        assertThat(notViable.failure().orElseThrow().detail()).contains("not viable");
        f.kernel.setViable("7", true);
        Outcome<OpenedDevice> wrongName = new GroupOpener(f.kernel, "/dev").open(KernelFixture.host("0000:09:00.0", "7", null));
        assertThat(wrongName.failure().orElseThrow().errno()).isEqualTo(Errno.ENODEV.value());
        assertThat(wrongName.failure().orElseThrow().detail()).contains("VFIO_GROUP_GET_DEVICE_FD 0000:09:00.0");
        assertThat(new GroupOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", null, null))
                .failure().orElseThrow().errno()).isEqualTo(Errno.ENODEV.value());
        assertThat(new CdevOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", "7", null))
                .failure().orElseThrow().errno()).isEqualTo(Errno.ENODEV.value());
        assertThat(f.kernel.openFds()).isZero();

        Outcome<OpenedDevice> group = new GroupOpener(f.kernel, "/dev").open(KernelFixture.host("0000:01:00.0", "7", null));
        assertThat(group.isDone()).isTrue();
        assertThat(f.kernel.log().stream().filter(l -> l.startsWith("ioctl")).map(l -> l.replaceFirst("^ioctl\\(\\d+, ", "")))
                .containsSubsequence("VFIO_GET_API_VERSION, 0) = 0", "VFIO_CHECK_EXTENSION, 3) = 1",
                        "VFIO_GROUP_GET_STATUS) = 0", "VFIO_GROUP_SET_CONTAINER) = 0", "VFIO_SET_IOMMU, 3) = 0");
        assertThat(f.kernel.open("/dev/vfio/devices/vfio0", 2).errno()).as("the group path holds the device")
                .isEqualTo(Errno.EBUSY.value());
    }
}
