package dev.vfo.agent.device.sim;

import static dev.vfo.core.vfio.MigrationState.ERROR;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY_P2P;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.ArcReport;
import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.DataSession;
import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.ManualClock;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.Pump;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.Walk;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import dev.vfo.core.vfio.abi.PrecopyInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedDeviceTest {
    private final ManualClock clock = new ManualClock();

    private SimulatedDevice device(SimulatedDeviceSpec spec) {
        return new SimulatedDevice(spec, clock, clock::sleep);
    }

    private static Arc arc(MigrationCapability cap, MigrationState from, MigrationState to) {
        Transition.Path p = (Transition.Path) MigrationFsm.plan(cap, from, to);
        assertThat(p.arcs()).hasSize(1);
        return p.arcs().get(0);
    }

    private static List<String> arcs(Walk walk) {
        return walk.completed().stream().map(r -> r.arc().toString()).collect(Collectors.toList());
    }

    @Test
    void a_whole_migration_moves_the_state_byte_for_byte_and_the_destination_takes_it_on() {
        SimulatedDeviceSpec src = SimulatedDeviceSpec.of("src").withContent(new ContentIdentity("src", 7, 3))
                .withSizes(300_000, 5_000).withChunk(64 << 10);
        DeviceStepper source = new DeviceStepper(device(src), clock);
        SimulatedDevice dstDevice = device(SimulatedDeviceSpec.of("dst"));
        DeviceStepper destination = new DeviceStepper(dstDevice, clock);

        Walk pre = source.walk(PRE_COPY);
        assertThat(pre.kind()).isEqualTo(Walk.Kind.REACHED);
        assertThat(pre.completed()).singleElement().satisfies(r -> assertThat(r.opened()).contains(DataSession.Kind.SAVING));
        Walk resuming = destination.walk(RESUMING);
        assertThat(arcs(resuming)).containsExactly("RUNNING>RUNNING_P2P", "RUNNING_P2P>STOP", "STOP>RESUMING");
        SavingSession saving = source.savingSession().orElseThrow();
        ResumingSession sink = destination.resumingSession().orElseThrow();

        assertThat(Pump.drain(saving, sink, 10_000).kind()).isEqualTo(ReadResult.Kind.NO_DATA_NOW);
        long preCopied = saving.bytesMoved();
        assertThat(saving.preCopyInfo().ok().orElseThrow().drained()).isTrue();

        Walk stopCopy = source.walk(STOP_COPY);
        assertThat(arcs(stopCopy)).containsExactly("PRE_COPY>PRE_COPY_P2P", "PRE_COPY_P2P>STOP_COPY");
        assertThat(stopCopy.completed().get(0).bytes()).isEqualTo(preCopied);
        assertThat(source.savingSession()).containsSame(saving);
        assertThat(Pump.drain(saving, sink, 7_777).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);

        Walk stop = source.walk(STOP);
        ArcReport leave = stop.completed().get(0);
        assertThat(leave.sha256()).contains(sink.sha256());
        assertThat(leave.bytes() + preCopied).isEqualTo(sink.bytesMoved());
        assertThat(source.session()).isEmpty();

        Walk commit = destination.walk(RUNNING);
        assertThat(arcs(commit)).containsExactly("RESUMING>STOP", "STOP>RUNNING_P2P", "RUNNING_P2P>RUNNING");
        assertThat(commit.completed().get(0).sha256()).contains(leave.sha256().orElseThrow());
        assertThat(dstDevice.content()).isEqualTo(new ContentIdentity("src", 7, 3));
        assertThat(dstDevice.lastResumed().orElseThrow().dataBytes()).isEqualTo(305_000);
    }

    @Test
    void equal_devices_give_equal_streams_and_a_different_seed_a_different_one() {
        String a = stopCopyDigest(SimulatedDeviceSpec.of("d").withContent(new ContentIdentity("d", 1, 1)), 4096);
        String b = stopCopyDigest(SimulatedDeviceSpec.of("d").withContent(new ContentIdentity("d", 1, 1)), 333);
        String c = stopCopyDigest(SimulatedDeviceSpec.of("d").withContent(new ContentIdentity("d", 2, 1)), 4096);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void the_stop_copy_size_estimate_is_the_stream_length_without_pre_copy() {
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d").withSizes(123_457, 999).withChunk(10_000));
        long estimate = d.stopCopySize().ok().orElseThrow();
        DeviceStepper s = new DeviceStepper(d, clock);
        s.walk(STOP_COPY);
        SavingSession saving = s.savingSession().orElseThrow();
        assertThat(d.stopCopySize().ok()).contains(estimate);
        Pump.drain(saving, null, 4096);
        assertThat(saving.bytesMoved()).isEqualTo(estimate);
        assertThat(d.stopCopySize().ok()).contains(0L);
    }

    private String stopCopyDigest(SimulatedDeviceSpec spec, int readSize) {
        DeviceStepper s = new DeviceStepper(device(spec), clock);
        assertThat(s.walk(STOP_COPY).kind()).isEqualTo(Walk.Kind.REACHED);
        SavingSession saving = s.savingSession().orElseThrow();
        assertThat(Pump.drain(saving, null, readSize).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);
        return saving.sha256();
    }

    @Test
    void pre_copy_counts_initial_bytes_down_to_a_temporary_end_and_dirty_bytes_up_with_the_clock() {
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d").withCapability(MigrationCapability.STOP_COPY_PRE_COPY)
                .withSizes(100_000, 1_000).withChunk(10_000).withDirtyRate(1_000));
        ArcResult r = d.setState(arc(MigrationCapability.STOP_COPY_PRE_COPY, RUNNING, PRE_COPY));
        SavingSession s = (SavingSession) ((ArcResult.Completed) r).session().orElseThrow();
        PrecopyInfo first = s.preCopyInfo().ok().orElseThrow();
        assertThat(first.dirtyBytes()).isZero();
        long header = first.initialBytes() - (100_000 + 10 * 24);
        assertThat(header).isPositive();

        ByteBuffer b = ByteBuffer.allocate(1_000);
        assertThat(s.read(b).kind()).isEqualTo(ReadResult.Kind.BYTES);
        assertThat(s.preCopyInfo().ok().orElseThrow().initialBytes()).isEqualTo(first.initialBytes() - 1_000);
        assertThat(Pump.drain(s, null, 4_096).kind()).isEqualTo(ReadResult.Kind.NO_DATA_NOW);
        assertThat(s.bytesMoved()).isEqualTo(first.initialBytes());
        assertThat(s.preCopyInfo().ok().orElseThrow()).satisfies(i -> assertThat(i.drained()).isTrue());
        assertThat(s.awaitReadable(Duration.ZERO).ok()).contains(false);

        clock.advance(Duration.ofMillis(2_500));
        PrecopyInfo dirty = s.preCopyInfo().ok().orElseThrow();
        assertThat(dirty.initialBytes()).isZero();
        assertThat(dirty.dirtyBytes()).isEqualTo(2_500 + 24);
        assertThat(s.awaitReadable(Duration.ZERO).ok()).contains(true);
        long before = s.bytesMoved();
        assertThat(Pump.drain(s, null, 4_096).kind()).isEqualTo(ReadResult.Kind.NO_DATA_NOW);
        assertThat(s.bytesMoved() - before).isEqualTo(2_524);

        assertThat(d.stopCopySize().ok().orElseThrow()).isEqualTo(1_000 + 24 + 24 + 16);
        d.setState(arc(MigrationCapability.STOP_COPY_PRE_COPY, PRE_COPY, STOP_COPY));
        Outcome<PrecopyInfo> outside = s.preCopyInfo();
        assertThat(outside.failure().orElseThrow().errno()).isEqualTo(Errno.EINVAL.value());
        clock.advance(Duration.ofSeconds(10));
        long beforeStop = s.bytesMoved();
        assertThat(Pump.drain(s, null, 4_096).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);
        assertThat(s.bytesMoved() - beforeStop).as("nothing dirtied after the stop").isEqualTo(1_000 + 24 + 24 + 16);
        assertThat(s.read(ByteBuffer.allocate(10)).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);
    }

    @Test
    void an_ended_session_fails_with_ENODEV_and_a_closed_one_with_EBADF() {
        MigrationCapability cap = MigrationCapability.STOP_COPY;
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d").withCapability(cap));
        d.setState(arc(cap, RUNNING, STOP));
        SavingSession s = (SavingSession) ((ArcResult.Completed) d.setState(arc(cap, STOP, STOP_COPY))).session().orElseThrow();
        assertThat(s.read(ByteBuffer.allocate(16)).kind()).isEqualTo(ReadResult.Kind.BYTES);
        assertThat(d.setState(arc(cap, STOP_COPY, STOP)).kind()).isEqualTo(ArcResult.Kind.COMPLETED);
        ReadResult stale = s.read(ByteBuffer.allocate(16));
        assertThat(((ReadResult.Failed) stale).errno()).isEqualTo(Errno.ENODEV.value());
        assertThat(s.preCopyInfo().failure().orElseThrow().errno()).isEqualTo(Errno.ENODEV.value());

        ResumingSession w = (ResumingSession) ((ArcResult.Completed) d.setState(arc(cap, STOP, RESUMING))).session().orElseThrow();
        assertThat(d.reset().ok()).contains(RUNNING);
        assertThat(w.write(ByteBuffer.allocate(8)).failure().orElseThrow().errno()).isEqualTo(Errno.ENODEV.value());
        w.close();
        assertThat(w.write(ByteBuffer.allocate(8)).failure().orElseThrow().errno()).isEqualTo(SimulatedDevice.EBADF);
        assertThat(w.isOpen()).isFalse();
    }

    @Test
    void an_injected_fault_into_ERROR_holds_until_reset_and_the_walk_reports_the_read_back() {
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d")
                .withFault(ArcFault.once(RUNNING_P2P, STOP, Errno.EIO.value(), AfterFailure.ERROR)));
        DeviceStepper stepper = new DeviceStepper(d, clock);
        Walk w = stepper.walk(STOP_COPY);
        assertThat(w.kind()).isEqualTo(Walk.Kind.FAILED);
        Walk.Failed f = (Walk.Failed) w;
        assertThat(arcs(f)).containsExactly("RUNNING>RUNNING_P2P");
        assertThat(f.arc().toString()).isEqualTo("RUNNING_P2P>STOP");
        assertThat(f.errno()).isEqualTo(Errno.EIO.value());
        assertThat(f.readBack().ok()).contains(ERROR);

        Walk again = stepper.walk(RUNNING);
        assertThat(again.kind()).isEqualTo(Walk.Kind.REFUSED);
        assertThat(((Walk.Refused) again).errno()).contains(Errno.EINVAL);
        assertThat(((Walk.Refused) again).reason()).contains("VFIO_DEVICE_RESET");
        assertThat(stepper.reset().ok()).contains(RUNNING);
        assertThat(arcs(stepper.walk(STOP_COPY))).containsExactly("RUNNING>RUNNING_P2P", "RUNNING_P2P>STOP", "STOP>STOP_COPY");
    }

    @Test
    void a_fault_that_stays_leaves_the_device_where_it_was_and_keeps_its_session() {
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d")
                .withFault(ArcFault.once(PRE_COPY, PRE_COPY_P2P, Errno.ENOMEM.value(), AfterFailure.STAY)));
        DeviceStepper stepper = new DeviceStepper(d, clock);
        stepper.walk(PRE_COPY);
        SavingSession s = stepper.savingSession().orElseThrow();
        Walk.Failed f = (Walk.Failed) stepper.walk(STOP_COPY);
        assertThat(f.readBack().ok()).contains(PRE_COPY);
        assertThat(stepper.savingSession()).containsSame(s);
        assertThat(s.read(ByteBuffer.allocate(8)).kind()).isEqualTo(ReadResult.Kind.BYTES);
        assertThat(stepper.walk(STOP_COPY).kind()).isEqualTo(Walk.Kind.REACHED);
    }

    @Test
    void a_truncated_corrupted_or_foreign_stream_fails_the_commit_into_ERROR() {
        byte[] stream = wholeStream(SimulatedDeviceSpec.of("src").withSizes(50_000, 100).withChunk(4096));
        assertThat(commit(SimulatedDeviceSpec.of("dst"), stream).kind()).isEqualTo(Walk.Kind.REACHED);

        byte[] truncated = java.util.Arrays.copyOf(stream, stream.length - 10);
        assertInvalid(commit(SimulatedDeviceSpec.of("dst"), truncated), "ends inside frame");
        byte[] corrupted = stream.clone();
        corrupted[20_000] ^= 1;
        assertInvalid(commit(SimulatedDeviceSpec.of("dst"), corrupted), "CRC32C mismatch");
        assertInvalid(commit(SimulatedDeviceSpec.of("dst").withModel("other"), stream), "model");
        assertInvalid(commit(SimulatedDeviceSpec.of("dst"), new byte[0]), "empty");
        byte[] extra = java.util.Arrays.copyOf(stream, stream.length + 1);
        assertInvalid(commit(SimulatedDeviceSpec.of("dst"), extra), "after the END");
    }

    @Test
    void a_device_configured_to_survive_a_bad_stream_stays_in_RESUMING() {
        Walk w = commit(SimulatedDeviceSpec.of("dst").withInvalidStream(Errno.EIO.value(), AfterFailure.STAY), new byte[30]);
        Walk.Failed f = (Walk.Failed) w;
        assertThat(f.errno()).isEqualTo(Errno.EIO.value());
        assertThat(f.readBack().ok()).contains(RESUMING);
    }

    private static void assertInvalid(Walk w, String reason) {
        assertThat(w.kind()).isEqualTo(Walk.Kind.FAILED);
        Walk.Failed f = (Walk.Failed) w;
        assertThat(f.arc().toString()).isEqualTo("RESUMING>STOP");
        assertThat(f.errno()).isEqualTo(Errno.EINVAL.value());
        assertThat(f.detail()).contains(reason);
        assertThat(f.readBack().ok()).contains(ERROR);
    }

    private byte[] wholeStream(SimulatedDeviceSpec spec) {
        DeviceStepper s = new DeviceStepper(device(spec), clock);
        s.walk(STOP_COPY);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1000);
        SavingSession saving = s.savingSession().orElseThrow();
        while (saving.read(b.clear()).kind() == ReadResult.Kind.BYTES) {
            out.write(b.array(), 0, b.position());
        }
        return out.toByteArray();
    }

    private Walk commit(SimulatedDeviceSpec spec, byte[] stream) {
        DeviceStepper d = new DeviceStepper(device(spec), clock);
        d.walk(RESUMING);
        ResumingSession w = d.resumingSession().orElseThrow();
        for (int i = 0; i < stream.length; i += 999) {
            w.write(ByteBuffer.wrap(stream, i, Math.min(999, stream.length - i)));
        }
        return d.walk(STOP);
    }

    @Test
    void undefined_flags_are_refused_with_the_reason_and_no_migration_is_ENOTTY() {
        DeviceStepper p2pOnly = new DeviceStepper(device(SimulatedDeviceSpec.of("d").withFlags(new MigrationFlags(2))), clock);
        Walk.Refused r = (Walk.Refused) p2pOnly.walk(STOP);
        assertThat(r.errno()).isEmpty();
        assertThat(r.reason()).contains("VFIO_MIGRATION_STOP_COPY is not set");
        Walk.Refused unknown = (Walk.Refused) new DeviceStepper(
                device(SimulatedDeviceSpec.of("d").withFlags(new MigrationFlags(1 | 32))), clock).walk(STOP);
        assertThat(unknown.reason()).contains("undefined bit(s) bit 5");

        SimulatedDevice none = device(SimulatedDeviceSpec.of("d").withFlags(MigrationFlags.NONE));
        Walk.Refused noMigration = (Walk.Refused) new DeviceStepper(none, clock).walk(STOP);
        assertThat(noMigration.errno()).contains(Errno.ENOTTY);
        assertThat(none.state().failure().orElseThrow().errno()).isEqualTo(Errno.ENOTTY.value());
        assertThat(none.stopCopySize().failure().orElseThrow().errno()).isEqualTo(Errno.ENOTTY.value());
    }

    @Test
    void an_arc_that_does_not_start_where_the_device_is_or_has_other_flags_is_not_sent() {
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d").withCapability(MigrationCapability.STOP_COPY));
        ArcResult wrongFrom = d.setState(arc(MigrationCapability.STOP_COPY, STOP, STOP_COPY));
        assertThat(wrongFrom.kind()).isEqualTo(ArcResult.Kind.NOT_SENT);
        assertThat(((ArcResult.NotSent) wrongFrom).actual().ok()).contains(RUNNING);
        ArcResult wrongFlags = d.setState(arc(MigrationCapability.STOP_COPY_P2P, RUNNING, RUNNING_P2P));
        assertThat(((ArcResult.NotSent) wrongFlags).reason()).contains("planned for flags STOP_COPY|P2P");
        assertThat(d.state().ok()).contains(RUNNING);
    }

    @Test
    void arcs_take_their_modelled_latency_and_the_reports_carry_it() {
        LatencyModel latency = new LatencyModel(Duration.ofMillis(5), Map.of("STOP>STOP_COPY", Duration.ofSeconds(2)), 0);
        DeviceStepper s = new DeviceStepper(device(SimulatedDeviceSpec.of("d").withLatency(latency)), clock);
        List<ArcReport> heard = new ArrayList<>();
        s.walk(STOP_COPY, heard::add);
        assertThat(heard).extracting(ArcReport::took)
                .containsExactly(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(2));
        assertThat(clock.slept()).isEqualTo(Duration.ofMillis(2010));
    }

    @Test
    void stream_throughput_is_spent_per_byte() {
        LatencyModel latency = new LatencyModel(Duration.ZERO, Map.of(), 1_000_000);
        SimulatedDevice d = device(SimulatedDeviceSpec.of("d").withLatency(latency).withSizes(1_000_000, 0));
        DeviceStepper s = new DeviceStepper(d, clock);
        s.walk(STOP_COPY);
        Pump.drain(s.savingSession().orElseThrow(), null, 65_536);
        assertThat(clock.slept()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1010));
    }

    @Test
    void a_gibibyte_streams_through_sha256_without_being_held() {
        long gib = 1L << 30;
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("big").withSizes(gib, 0).withChunk(1 << 20);
        DeviceStepper src = new DeviceStepper(device(spec), clock);
        SimulatedDevice dstDevice = device(SimulatedDeviceSpec.of("big-dst"));
        DeviceStepper dst = new DeviceStepper(dstDevice, clock);
        src.walk(STOP_COPY);
        dst.walk(RESUMING);
        Runtime rt = Runtime.getRuntime();
        long started = System.nanoTime();
        assertThat(Pump.drain(src.savingSession().orElseThrow(), dst.resumingSession().orElseThrow(), 1 << 20).kind())
                .isEqualTo(ReadResult.Kind.END_OF_STREAM);
        long millis = (System.nanoTime() - started) / 1_000_000;
        String sha = src.savingSession().orElseThrow().sha256();
        assertThat(dst.resumingSession().orElseThrow().sha256()).isEqualTo(sha);
        assertThat(dst.walk(STOP).kind()).isEqualTo(Walk.Kind.REACHED);
        assertThat(dstDevice.lastResumed().orElseThrow().dataBytes()).isEqualTo(gib);
        System.out.printf("1 GiB device state streamed source->destination with SHA-256 on both sides and frame"
                + " checks in %d ms (%.0f MiB/s); heap max %d MiB%n", millis, 1024 * 1000.0 / Math.max(1, millis),
                rt.maxMemory() >> 20);
    }
}
