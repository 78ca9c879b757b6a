package dev.vfo.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.kernel.KernelDevice;
import dev.vfo.agent.device.kernel.KernelDeviceAccess;
import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random walks (targets, resets, injected arc faults) on a simulated device and on the same
 * device behind the in-memory kernel through the kernel backend: both agree with
 * {@link MigrationFsm} and with each other on every walk's outcome, arcs, errno and read-back.
 */
class BackendAgreementProperties {

    /**
     * A step of a random scenario: walk to a state, reset (no target, no data), or move data
     * (drain a saving session, or write a whole valid stream into a resuming one).
     */
    record Step(MigrationState target, boolean data) {
        @Override
        public String toString() {
            return target != null ? "->" + target : data ? "DATA" : "RESET";
        }
    }

    @Provide
    Arbitrary<Step> steps() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(MigrationState.class).map(s -> new Step(s, false))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Step(null, false))),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new Step(null, true))));
    }

    @Provide
    Arbitrary<ArcFault> faults() {
        return Combinators.combine(Arbitraries.of(MigrationState.class), Arbitraries.of(MigrationState.class),
                Arbitraries.of(Errno.EIO, Errno.ENOMEM, Errno.EINVAL), Arbitraries.of(AfterFailure.class),
                Arbitraries.integers().between(1, 3))
                .as((from, to, errno, after, times) -> new ArcFault(from, to, errno.value(), after, times));
    }

    @Property(tries = 300)
    void simulated_and_kernel_backends_agree_with_the_fsm_and_each_other(
            @ForAll MigrationCapability capability,
            @ForAll @Size(max = 12) List<@net.jqwik.api.From("steps") Step> steps,
            @ForAll @Size(max = 3) List<@net.jqwik.api.From("faults") ArcFault> faults) {
        ManualClock clock = new ManualClock();
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("d").withCapability(capability).withSizes(2_000, 100);
        for (ArcFault f : faults) {
            spec = spec.withFault(f);
        }
        SimulatedDevice simulated = new SimulatedDevice(spec, clock, clock::sleep);
        KernelDeviceAccess kernel = KernelDeviceAccess.withDevice(new SimulatedDevice(spec, clock, clock::sleep));
        KernelDevice viaKernel = kernel.device();
        DeviceStepper a = new DeviceStepper(simulated, clock);
        DeviceStepper b = new DeviceStepper(viaKernel, clock);

        for (Step step : steps) {
            MigrationState before = simulated.state().ok().orElseThrow();
            assertThat(viaKernel.state().ok()).contains(before);
            if (step.data()) {
                assertThat(moveData(a, clock)).isEqualTo(moveData(b, clock));
                continue;
            }
            if (step.target() == null) {
                assertThat(a.reset().ok()).contains(MigrationState.RUNNING);
                assertThat(b.reset().ok()).contains(MigrationState.RUNNING);
                continue;
            }
            Walk wa = a.walk(step.target());
            Walk wb = b.walk(step.target());
            assertThat(summary(wb)).isEqualTo(summary(wa));
            if (arcs(wa).contains("RESUMING>STOP")) {
                net.jqwik.api.statistics.Statistics.label("commits").collect("committed");
            } else if (wa.kind() == Walk.Kind.FAILED && ((Walk.Failed) wa).arc().commitsResumedData()) {
                net.jqwik.api.statistics.Statistics.label("commits").collect("refused");
            }
            if (wa.kind() == Walk.Kind.REACHED && wa.completed().stream().anyMatch(r -> r.sha256().isPresent() && r.bytes() > 0)) {
                net.jqwik.api.statistics.Statistics.label("sessions").collect("ended with data");
            }

            Transition plan = MigrationFsm.plan(capability, before, step.target());
            if (plan instanceof Transition.Refused refused) {
                assertThat(wa.kind()).isEqualTo(Walk.Kind.REFUSED);
                assertThat(((Walk.Refused) wa).errno()).contains(refused.errno());
            } else {
                List<String> planned = ((Transition.Path) plan).arcs().stream().map(Object::toString).collect(Collectors.toList());
                List<String> walked = arcs(wa);
                assertThat(walked.size()).isLessThanOrEqualTo(planned.size());
                assertThat(planned.subList(0, walked.size())).isEqualTo(walked);
                if (wa.kind() == Walk.Kind.REACHED) {
                    assertThat(walked).isEqualTo(planned);
                } else {
                    assertThat(wa.kind()).isEqualTo(Walk.Kind.FAILED);
                    Walk.Failed failed = (Walk.Failed) wa;
                    assertThat(planned.get(walked.size())).isEqualTo(failed.arc().toString());
                    MigrationState readBack = failed.readBack().ok().orElseThrow();
                    assertThat(readBack).isIn(failed.arc().from(), MigrationState.ERROR);
                }
            }
            MigrationState after = simulated.state().ok().orElseThrow();
            assertThat(viaKernel.state().ok()).contains(after);
            assertThat(a.session().map(DataSession::kind)).isEqualTo(b.session().map(DataSession::kind));
            assertThat(a.session().isPresent()).as("a session exactly in the saving group and RESUMING")
                    .isEqualTo(after.inSavingGroup() || after == MigrationState.RESUMING);
        }
        a.close();
        b.close();
        viaKernel.close();
        assertThat(kernel.openFds()).isZero();
    }

    /** Drains the saving session or fills the resuming one; what happened, for comparison. */
    private static String moveData(DeviceStepper stepper, ManualClock clock) {
        if (stepper.savingSession().isPresent()) {
            SavingSession saving = stepper.savingSession().get();
            return "read " + Pump.drain(saving, null, 1500).kind() + " " + saving.bytesMoved() + " " + saving.sha256();
        }
        if (stepper.resumingSession().isPresent()) {
            DeviceStepper source = new DeviceStepper(new SimulatedDevice(
                    SimulatedDeviceSpec.of("src").withCapability(MigrationCapability.STOP_COPY).withSizes(3_000, 10),
                    clock, clock::sleep), clock);
            source.walk(MigrationState.STOP_COPY);
            ResumingSession sink = stepper.resumingSession().get();
            return "wrote " + Pump.drain(source.savingSession().orElseThrow(), sink, 700).kind() + " "
                    + sink.bytesMoved() + " " + sink.sha256();
        }
        return "no session";
    }

    private static List<String> arcs(Walk w) {
        return w.completed().stream().map(r -> r.arc().toString()).collect(Collectors.toList());
    }

    /** What both backends must agree on: everything but timing and free-text detail. */
    private static String summary(Walk w) {
        List<String> parts = new ArrayList<>();
        parts.add(w.kind().name());
        for (ArcReport r : w.completed()) {
            parts.add(r.arc() + r.opened().map(k -> "+" + k).orElse("") + r.sha256().map(s -> "#" + s).orElse(""));
        }
        switch (w.kind()) {
            case FAILED -> {
                Walk.Failed f = (Walk.Failed) w;
                parts.add(f.arc() + " " + Errno.describe(f.errno()) + " readBack " + f.readBack().describe());
            }
            case REFUSED -> parts.add(((Walk.Refused) w).errno().toString());
            default -> { }
        }
        return String.join(" ", parts);
    }

    @Property(tries = 100)
    void any_read_segmentation_gives_the_same_stream(
            @ForAll @IntRange(min = 8, max = 5000) int chunk,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 9000) Integer> readSizes) {
        ManualClock clock = new ManualClock();
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("seg").withSizes(20_000, 333).withChunk(chunk);
        assertThat(digest(spec, clock, readSizes)).isEqualTo(digest(spec, clock, List.of(4096)));
    }

    private static String digest(SimulatedDeviceSpec spec, ManualClock clock, List<Integer> readSizes) {
        DeviceStepper s = new DeviceStepper(new SimulatedDevice(spec, clock, clock::sleep), clock);
        s.walk(MigrationState.STOP_COPY);
        SavingSession saving = s.savingSession().orElseThrow();
        for (int i = 0; ; i++) {
            ReadResult r = saving.read(ByteBuffer.allocate(readSizes.get(i % readSizes.size())));
            if (r.kind() == ReadResult.Kind.END_OF_STREAM) {
                return saving.sha256();
            }
            assertThat(r.kind()).isEqualTo(ReadResult.Kind.BYTES);
        }
    }
}
