package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentEvent;
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
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.schemas.avro.saga.BarrierReached;
import dev.vfo.schemas.avro.saga.CancelRequested;
import dev.vfo.schemas.avro.saga.CommandIssued;
import dev.vfo.schemas.avro.saga.DeviceReported;
import dev.vfo.schemas.avro.saga.EpochBegan;
import dev.vfo.schemas.avro.saga.InputIgnored;
import dev.vfo.schemas.avro.saga.MigrationCompleted;
import dev.vfo.schemas.avro.saga.MigrationFailed;
import dev.vfo.schemas.avro.saga.MigrationRequested;
import dev.vfo.schemas.avro.saga.MigrationRolledBack;
import dev.vfo.schemas.avro.saga.PhaseEntered;
import dev.vfo.schemas.avro.saga.PlanAccepted;
import dev.vfo.schemas.avro.saga.PlanRejected;
import dev.vfo.schemas.avro.saga.RollbackStarted;
import dev.vfo.schemas.avro.saga.SwitchoverDecided;
import dev.vfo.schemas.avro.saga.TimerFired;
import dev.vfo.schemas.avro.saga.UnansweredCommand;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@link SagaEvent}s (the coordinator log's events) and the shared saga values to and from the
 * generated {@code dev.vfo.schemas.avro.saga} classes. Agent events and commands inside saga events
 * are nested as their own single-object encodings.
 */
final class SagaMapping {

    static final Set<String> TYPES = names(MigrationRequested.getClassSchema(), CancelRequested.getClassSchema(),
            DeviceReported.getClassSchema(), TimerFired.getClassSchema(), EpochBegan.getClassSchema(),
            InputIgnored.getClassSchema(), PlanAccepted.getClassSchema(), PlanRejected.getClassSchema(),
            PhaseEntered.getClassSchema(), BarrierReached.getClassSchema(), SwitchoverDecided.getClassSchema(),
            CommandIssued.getClassSchema(), RollbackStarted.getClassSchema(), MigrationCompleted.getClassSchema(),
            MigrationRolledBack.getClassSchema(), MigrationFailed.getClassSchema());

    private SagaMapping() {}

    static Set<String> names(Schema... schemas) {
        return java.util.Arrays.stream(schemas).map(Schema::getFullName).collect(Collectors.toUnmodifiableSet());
    }

    static SpecificRecord toAvro(SagaEvent event) {
        switch (event.kind()) {
            case MIGRATION_REQUESTED: {
                SagaEvent.MigrationRequested e = (SagaEvent.MigrationRequested) event;
                return new MigrationRequested(request(e.request()), e.at());
            }
            case CANCEL_REQUESTED: {
                SagaEvent.CancelRequested e = (SagaEvent.CancelRequested) event;
                return new CancelRequested(e.migration().value(), e.reason(), e.at());
            }
            case DEVICE_REPORTED: {
                SagaEvent.DeviceReported e = (SagaEvent.DeviceReported) event;
                return new DeviceReported(ByteBuffer.wrap(LogCodec.encode(e.event())), e.at());
            }
            case TIMER_FIRED:
                return new TimerFired(((SagaEvent.TimerFired) event).at());
            case EPOCH_BEGAN: {
                SagaEvent.EpochBegan e = (SagaEvent.EpochBegan) event;
                return new EpochBegan(e.epoch(), e.at());
            }
            case INPUT_IGNORED:
                return new InputIgnored(((SagaEvent.InputIgnored) event).reason());
            case PLAN_ACCEPTED:
                return new PlanAccepted(plan(((SagaEvent.PlanAccepted) event).plan()));
            case PLAN_REJECTED: {
                SagaEvent.PlanRejected e = (SagaEvent.PlanRejected) event;
                return new PlanRejected(e.migration().value(), List.copyOf(e.reasons()));
            }
            case PHASE_ENTERED: {
                SagaEvent.PhaseEntered e = (SagaEvent.PhaseEntered) event;
                return new PhaseEntered(e.migration().value(),
                        dev.vfo.schemas.avro.saga.Phase.valueOf(e.phase().name()), e.at());
            }
            case BARRIER_REACHED: {
                SagaEvent.BarrierReached e = (SagaEvent.BarrierReached) event;
                return new BarrierReached(e.migration().value(),
                        dev.vfo.schemas.avro.saga.Barrier.valueOf(e.barrier().name()), e.at());
            }
            case SWITCHOVER_DECIDED: {
                SagaEvent.SwitchoverDecided e = (SagaEvent.SwitchoverDecided) event;
                return new SwitchoverDecided(e.migration().value(), e.reason(), e.at());
            }
            case COMMAND_ISSUED:
                return new CommandIssued(ByteBuffer.wrap(LogCodec.encode(((SagaEvent.CommandIssued) event).command())));
            case ROLLBACK_STARTED: {
                SagaEvent.RollbackStarted e = (SagaEvent.RollbackStarted) event;
                return new RollbackStarted(e.migration().value(), e.reason(), e.at());
            }
            case MIGRATION_COMPLETED: {
                SagaEvent.MigrationCompleted e = (SagaEvent.MigrationCompleted) event;
                return new MigrationCompleted(e.migration().value(), e.at());
            }
            case MIGRATION_ROLLED_BACK: {
                SagaEvent.MigrationRolledBack e = (SagaEvent.MigrationRolledBack) event;
                return new MigrationRolledBack(e.migration().value(), e.reason(), e.at());
            }
            case MIGRATION_FAILED: {
                SagaEvent.MigrationFailed e = (SagaEvent.MigrationFailed) event;
                return new MigrationFailed(e.migration().value(), e.reason(), e.devices().stream()
                        .map(d -> new dev.vfo.schemas.avro.saga.DeviceSnapshot(d.host().value(), d.device().value(),
                                Vocabulary.toAvro(d.state()), d.unanswered().stream()
                                        .map(u -> new UnansweredCommand(u.command().value(), Vocabulary.toAvro(u.target())))
                                        .collect(Collectors.toList())))
                        .collect(Collectors.toList()), e.at());
            }
        }
        throw new IllegalArgumentException("unreachable: " + event.kind());
    }

    /** Throws {@link Refusal} or {@link IllegalArgumentException} for a datum the domain refuses. */
    static SagaEvent toDomain(SpecificRecord record) {
        return toDomain(record, LogCodec::decodeNestedAgentEvent);
    }

    /** @param events decodes the agent event a DeviceReported carries */
    static SagaEvent toDomain(SpecificRecord record, Function<ByteBuffer, Decoded<AgentEvent>> events) {
        if (record instanceof MigrationRequested) {
            MigrationRequested r = (MigrationRequested) record;
            return new SagaEvent.MigrationRequested(request(r.getRequest()), r.getAt());
        }
        if (record instanceof CancelRequested) {
            CancelRequested r = (CancelRequested) record;
            return new SagaEvent.CancelRequested(new MigrationId(r.getMigration()), r.getReason(), r.getAt());
        }
        if (record instanceof DeviceReported) {
            DeviceReported r = (DeviceReported) record;
            return new SagaEvent.DeviceReported(nested(r.getEvent(), events, "DeviceReported.event"),
                    r.getAt());
        }
        if (record instanceof TimerFired) {
            return new SagaEvent.TimerFired(((TimerFired) record).getAt());
        }
        if (record instanceof EpochBegan) {
            EpochBegan r = (EpochBegan) record;
            return new SagaEvent.EpochBegan(r.getEpoch(), r.getAt());
        }
        if (record instanceof InputIgnored) {
            return new SagaEvent.InputIgnored(((InputIgnored) record).getReason());
        }
        if (record instanceof PlanAccepted) {
            return new SagaEvent.PlanAccepted(plan(((PlanAccepted) record).getPlan()));
        }
        if (record instanceof PlanRejected) {
            PlanRejected r = (PlanRejected) record;
            return new SagaEvent.PlanRejected(new MigrationId(r.getMigration()), r.getReasons());
        }
        if (record instanceof PhaseEntered) {
            PhaseEntered r = (PhaseEntered) record;
            return new SagaEvent.PhaseEntered(new MigrationId(r.getMigration()), phase(r.getPhase()), r.getAt());
        }
        if (record instanceof BarrierReached) {
            BarrierReached r = (BarrierReached) record;
            return new SagaEvent.BarrierReached(new MigrationId(r.getMigration()), barrier(r.getBarrier()), r.getAt());
        }
        if (record instanceof SwitchoverDecided) {
            SwitchoverDecided r = (SwitchoverDecided) record;
            return new SagaEvent.SwitchoverDecided(new MigrationId(r.getMigration()), r.getReason(), r.getAt());
        }
        if (record instanceof CommandIssued) {
            return new SagaEvent.CommandIssued(nested(((CommandIssued) record).getCommand(),
                    LogCodec::decodeNestedAgentCommand, "CommandIssued.command"));
        }
        if (record instanceof RollbackStarted) {
            RollbackStarted r = (RollbackStarted) record;
            return new SagaEvent.RollbackStarted(new MigrationId(r.getMigration()), r.getReason(), r.getAt());
        }
        if (record instanceof MigrationCompleted) {
            MigrationCompleted r = (MigrationCompleted) record;
            return new SagaEvent.MigrationCompleted(new MigrationId(r.getMigration()), r.getAt());
        }
        if (record instanceof MigrationRolledBack) {
            MigrationRolledBack r = (MigrationRolledBack) record;
            return new SagaEvent.MigrationRolledBack(new MigrationId(r.getMigration()), r.getReason(), r.getAt());
        }
        if (record instanceof MigrationFailed) {
            MigrationFailed r = (MigrationFailed) record;
            return new SagaEvent.MigrationFailed(new MigrationId(r.getMigration()), r.getReason(), r.getDevices().stream()
                    .map(d -> new DeviceSnapshot(new HostId(d.getHost()), new DeviceId(d.getDevice()),
                            Vocabulary.toDomain(d.getState(), "devices.state"), d.getUnanswered().stream()
                                    .map(u -> new DeviceSnapshot.Unanswered(new CommandId(u.getCommand()),
                                            Vocabulary.toDomain(u.getTarget(), "devices.unanswered.target")))
                                    .collect(Collectors.toList())))
                    .collect(Collectors.toList()), r.getAt());
        }
        throw new Refusal(Failure.Reason.UNEXPECTED_TYPE, record.getSchema().getFullName() + " is not a saga event");
    }

    private static <T> T nested(ByteBuffer buffer, Function<ByteBuffer, Decoded<T>> decode, String field) {
        Decoded<T> d = decode.apply(buffer);
        if (d instanceof Decoded.Failed) {
            Failure f = ((Decoded.Failed<T>) d).failure();
            throw new Refusal(f.reason(), field + ": " + f.detail());
        }
        return d.orElseThrow();
    }

    // ---- shared values ----

    static dev.vfo.schemas.avro.saga.MigrationRequest request(MigrationRequest r) {
        return new dev.vfo.schemas.avro.saga.MigrationRequest(r.migration().value(), r.vm().value(),
                r.sourceHost().value(), r.destinationHost().value(), r.devices().stream()
                        .map(p -> new dev.vfo.schemas.avro.saga.DevicePair(p.source().value(), p.destination().value()))
                        .collect(Collectors.toList()), policy(r.policy()));
    }

    static MigrationRequest request(dev.vfo.schemas.avro.saga.MigrationRequest r) {
        return new MigrationRequest(new MigrationId(r.getMigration()), new VmId(r.getVm()), new HostId(r.getSourceHost()),
                new HostId(r.getDestinationHost()), r.getDevices().stream()
                        .map(p -> new DevicePair(new DeviceId(p.getSource()), new DeviceId(p.getDestination())))
                        .collect(Collectors.toList()), policy(r.getPolicy()));
    }

    private static dev.vfo.schemas.avro.saga.MigrationPolicy policy(MigrationPolicy p) {
        return new dev.vfo.schemas.avro.saga.MigrationPolicy(p.stepDeadline().toNanos(), p.transferDeadline().toNanos(),
                p.maxAttempts(), p.preCopy(), p.maxPreCopy().toNanos(),
                dev.vfo.schemas.avro.saga.PreCopyTimeoutAction.valueOf(p.onPreCopyTimeout().name()),
                p.bandwidthBytesPerSecond(), p.downtimeBudget().toNanos(), p.silenceLimit().toNanos());
    }

    private static MigrationPolicy policy(dev.vfo.schemas.avro.saga.MigrationPolicy p) {
        if (p.getOnPreCopyTimeout() == dev.vfo.schemas.avro.saga.PreCopyTimeoutAction.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, "policy.onPreCopyTimeout: an action this version does not know");
        }
        return new MigrationPolicy(Duration.ofNanos(p.getStepDeadlineNanos()),
                Duration.ofNanos(p.getTransferDeadlineNanos()), p.getMaxAttempts(), p.getPreCopy(),
                Duration.ofNanos(p.getMaxPreCopyNanos()), PreCopyTimeoutAction.valueOf(p.getOnPreCopyTimeout().name()),
                p.getBandwidthBytesPerSecond(), Duration.ofNanos(p.getDowntimeBudgetNanos()),
                Duration.ofNanos(p.getSilenceLimitNanos()));
    }

    private static dev.vfo.schemas.avro.saga.MigrationPlan plan(MigrationPlan p) {
        return new dev.vfo.schemas.avro.saga.MigrationPlan(p.migration().value(), p.vm().value(), p.sourceHost().value(),
                p.destinationHost().value(), p.devices().stream().map(d -> new dev.vfo.schemas.avro.saga.DevicePlan(
                        d.source().value(), d.sourceAgent().value(), capability(d.sourceCapability()),
                        d.destination().value(), d.destinationAgent().value(), capability(d.destinationCapability()),
                        d.destinationEndpoint(), d.sourceHost().value(), d.destinationHost().value()))
                        .collect(Collectors.toList()), policy(p.policy()), p.acceptedAt());
    }

    private static MigrationPlan plan(dev.vfo.schemas.avro.saga.MigrationPlan p) {
        return new MigrationPlan(new MigrationId(p.getMigration()), new VmId(p.getVm()), new HostId(p.getSourceHost()),
                new HostId(p.getDestinationHost()), p.getDevices().stream().map(d -> new DevicePlan(
                        new DeviceId(d.getSource()), new AgentId(d.getSourceAgent()),
                        capability(d.getSourceCapability(), "sourceCapability"), new DeviceId(d.getDestination()),
                        new AgentId(d.getDestinationAgent()),
                        capability(d.getDestinationCapability(), "destinationCapability"), d.getDestinationEndpoint(),
                        new HostId(d.getSourceHost()), new HostId(d.getDestinationHost())))
                        .collect(Collectors.toList()), policy(p.getPolicy()), p.getAcceptedAt());
    }

    private static dev.vfo.schemas.avro.saga.MigrationCapability capability(MigrationCapability c) {
        return dev.vfo.schemas.avro.saga.MigrationCapability.valueOf(c.name());
    }

    private static MigrationCapability capability(dev.vfo.schemas.avro.saga.MigrationCapability c, String field) {
        if (c == dev.vfo.schemas.avro.saga.MigrationCapability.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, field + ": a capability this version does not know");
        }
        return MigrationCapability.valueOf(c.name());
    }

    private static Phase phase(dev.vfo.schemas.avro.saga.Phase p) {
        if (p == dev.vfo.schemas.avro.saga.Phase.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, "phase: a phase this version does not know");
        }
        return Phase.valueOf(p.name());
    }

    private static Barrier barrier(dev.vfo.schemas.avro.saga.Barrier b) {
        if (b == dev.vfo.schemas.avro.saga.Barrier.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, "barrier: a barrier this version does not know");
        }
        return Barrier.valueOf(b.name());
    }
}
