package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.Barrier;
import dev.vfo.core.saga.DevicePair;
import dev.vfo.core.saga.DevicePlan;
import dev.vfo.core.saga.DeviceSnapshot;
import dev.vfo.core.saga.MigrationPlan;
import dev.vfo.core.saga.MigrationPolicy;
import dev.vfo.core.saga.MigrationRequest;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.PreCopyTimeoutAction;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.vfio.MigrationCapability;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Arbitrary saga values, coordinator-log events and requests (every kind). */
public final class SagaSamples {

    private SagaSamples() {}

    private static Arbitrary<Duration> positiveDurations() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofNanos);
    }

    private static Arbitrary<Duration> durations() {
        return Arbitraries.longs().map(Duration::ofNanos);
    }

    public static Arbitrary<MigrationPolicy> policies() {
        return Combinators.combine(positiveDurations(), positiveDurations(), Arbitraries.integers().between(1, 100),
                Arbitraries.of(true, false), durations(), Arbitraries.of(PreCopyTimeoutAction.class),
                Arbitraries.longs().between(1, Long.MAX_VALUE), durations())
                .flatAs((step, transfer, attempts, pre, maxPre, action, bw, budget) -> durations().map(silence ->
                        new MigrationPolicy(step, transfer, attempts, pre, maxPre, action, bw, budget, silence)));
    }

    private static Arbitrary<MigrationId> migrations() {
        return Samples.ids().map(MigrationId::new);
    }

    public static Arbitrary<MigrationRequest> requests() {
        Arbitrary<DevicePair> pairs = Combinators.combine(Samples.ids(), Samples.ids())
                .as((s, d) -> new DevicePair(new DeviceId(s), new DeviceId(d)));
        return Combinators.combine(migrations(), Samples.ids(), Samples.ids(), Samples.ids(), pairs.list().ofMaxSize(4),
                policies())
                .as((m, vm, src, dst, devices, policy) -> new MigrationRequest(m, new VmId(vm), new HostId(src),
                        new HostId(dst), devices, policy));
    }

    private static Arbitrary<DevicePlan> devicePlans() {
        Arbitrary<MigrationCapability> caps = Arbitraries.of(MigrationCapability.class);
        return Combinators.combine(Samples.ids(), Samples.ids(), caps, Samples.ids(), Samples.ids(), caps,
                Samples.text(), Samples.ids())
                .as((s, sa, sc, d, da, dc, ep, h) -> new DevicePlan(new DeviceId(s), new AgentId(sa), sc, new DeviceId(d),
                        new AgentId(da), dc, ep, new HostId(h), new HostId(h + "-dst")));
    }

    private static Arbitrary<MigrationPlan> plans() {
        return Combinators.combine(requests(), devicePlans().list().ofMinSize(1).ofMaxSize(3), Samples.instants())
                .as((r, devices, at) -> new MigrationPlan(r.migration(), r.vm(), r.sourceHost(), r.destinationHost(),
                        devices, r.policy(), at));
    }

    public static Arbitrary<SagaEvent> events() {
        Arbitrary<String> text = Samples.text();
        return Arbitraries.oneOf(List.of(
                Combinators.combine(requests(), Samples.instants()).as(SagaEvent.MigrationRequested::new),
                Combinators.combine(migrations(), text, Samples.instants()).as(SagaEvent.CancelRequested::new),
                Combinators.combine(Samples.events(), Samples.instants()).as(SagaEvent.DeviceReported::new),
                Samples.instants().map(SagaEvent.TimerFired::new),
                Combinators.combine(Arbitraries.longs(), Samples.instants()).as(SagaEvent.EpochBegan::new),
                text.map(SagaEvent.InputIgnored::new),
                plans().map(SagaEvent.PlanAccepted::new),
                Combinators.combine(migrations(), text.list().ofMinSize(1).ofMaxSize(3)).as(SagaEvent.PlanRejected::new),
                Combinators.combine(migrations(), Arbitraries.of(Phase.class), Samples.instants())
                        .as(SagaEvent.PhaseEntered::new),
                Combinators.combine(migrations(), Arbitraries.of(Barrier.class), Samples.instants())
                        .as(SagaEvent.BarrierReached::new),
                Combinators.combine(migrations(), text, Samples.instants()).as(SagaEvent.SwitchoverDecided::new),
                Samples.commands().map(SagaEvent.CommandIssued::new),
                Combinators.combine(migrations(), text, Samples.instants()).as(SagaEvent.RollbackStarted::new),
                Combinators.combine(migrations(), Samples.instants()).as(SagaEvent.MigrationCompleted::new),
                Combinators.combine(migrations(), text, Samples.instants()).as(SagaEvent.MigrationRolledBack::new),
                Combinators.combine(migrations(), text, snapshots().list().ofMaxSize(3), Samples.instants())
                        .as(SagaEvent.MigrationFailed::new)));
    }

    private static Arbitrary<DeviceSnapshot> snapshots() {
        Arbitrary<List<DeviceSnapshot.Unanswered>> unanswered = Combinators.combine(Samples.ids(), Samples.states())
                .as((c, t) -> new DeviceSnapshot.Unanswered(new CommandId(c), t)).list().ofMaxSize(3);
        return Combinators.combine(Samples.ids(), Samples.ids(), Samples.states(), unanswered)
                .as((h, d, s, u) -> new DeviceSnapshot(new HostId(h), new DeviceId(d), s, u));
    }

    public static Arbitrary<SagaInput> controlRequests() {
        return Arbitraries.oneOf(
                Combinators.combine(requests(), Samples.instants()).as(SagaInput.Start::new),
                Combinators.combine(migrations(), Samples.text(), Samples.instants()).as(SagaInput.Cancel::new));
    }

    /** Value bytes of a request, whichever kind. */
    public static byte[] encode(SagaInput request) {
        switch (request.kind()) {
            case START:
                return LogCodec.encode((SagaInput.Start) request);
            case CANCEL:
                return LogCodec.encode((SagaInput.Cancel) request);
            default:
                throw new IllegalArgumentException(request.kind() + " is not a control-plane request");
        }
    }
}
