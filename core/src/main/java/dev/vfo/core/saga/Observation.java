package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Optional;

/**
 * How an agent event enters the saga's state. {@link #ignoreReason} is the one filter both
 * {@code decide} and {@code evolve} apply, so they always agree on what an event changed:
 * an event from an agent other than the one that registered the device, a duplicate or stale one
 * (sequence not above the last applied), one about an unknown device or a migration not in
 * flight changes nothing.
 */
final class Observation {

    private Observation() {}

    static Optional<String> ignoreReason(AgentEvent e, SagaState s) {
        if (e.kind() == AgentEvent.Kind.AGENT_HEARTBEAT) {
            AgentEvent.AgentHeartbeat h = (AgentEvent.AgentHeartbeat) e;
            for (AgentEvent.DeviceStatus st : h.devices()) {
                Optional<KnownDevice> k = s.device(st.device());
                if (k.isPresent() && k.get().agent().equals(h.agent())) {
                    return Optional.empty();
                }
            }
            return Optional.of("heartbeat of agent " + h.agent() + " names no device it registered");
        }
        AgentEvent.DeviceEvent d = (AgentEvent.DeviceEvent) e;
        Optional<KnownDevice> k = s.device(d.device());
        if (k.isEmpty()) {
            return e.kind() == AgentEvent.Kind.DEVICE_REGISTERED ? Optional.empty()
                    : Optional.of("device " + d.device() + " is unknown: no agent registered it");
        }
        if (!k.get().agent().equals(d.agent()) || !k.get().host().equals(d.host())) {
            return Optional.of("device " + d.device() + " is registered by agent " + k.get().agent() + " on "
                    + k.get().host() + ", not by " + d.agent() + " on " + d.host());
        }
        if (d.sequence() <= k.get().lastSequence()) {
            return Optional.of("duplicate or stale event " + d.sequence() + " of device " + d.device()
                    + " (last applied " + k.get().lastSequence() + ")");
        }
        Optional<MigrationId> scoped = migrationOf(e);
        if (scoped.isPresent()) {
            if (s.active().isEmpty() || !s.active().get().plan().migration().equals(scoped.get())) {
                return Optional.of("event about migration " + scoped.get() + ", which is not in flight");
            }
            if (!s.active().get().involves(d.device())) {
                return Optional.of("device " + d.device() + " is not part of migration " + scoped.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<MigrationId> migrationOf(AgentEvent e) {
        return switch (e.kind()) {
            case PRE_COPY_PROGRESS -> Optional.of(((AgentEvent.PreCopyProgress) e).migration());
            case DATA_TRANSFER_PROGRESS -> Optional.of(((AgentEvent.DataTransferProgress) e).migration());
            case DATA_TRANSFER_COMPLETED -> Optional.of(((AgentEvent.DataTransferCompleted) e).migration());
            case DATA_TRANSFER_FAILED -> Optional.of(((AgentEvent.DataTransferFailed) e).migration());
            case DEVICE_REGISTERED, DEVICE_STATE_CHANGED, TRANSITION_FAILED, AGENT_HEARTBEAT -> Optional.empty();
        };
    }

    /** Applies an event {@link #ignoreReason} accepted. */
    static SagaState apply(SagaState s, AgentEvent e, Instant at) {
        switch (e.kind()) {
            case DEVICE_REGISTERED: {
                AgentEvent.DeviceRegistered r = (AgentEvent.DeviceRegistered) e;
                SagaState t = s.withDevice(new KnownDevice(r.device(), r.host(), r.agent(), r.model(), r.migrationFlags(),
                        r.stopCopySizeEstimate(), r.transferEndpoint(), r.state(), r.sequence(), at));
                return faultIfError(t, r.device(), r.state(), "device " + r.device() + " re-registered in ERROR");
            }
            case DEVICE_STATE_CHANGED: {
                AgentEvent.DeviceStateChanged c = (AgentEvent.DeviceStateChanged) e;
                SagaState t = s.withDevice(s.inventory().get(c.device()).observed(c.to(), c.sequence(), at));
                // A command is answered when the device reached its target; a multi-arc walk reports each arc.
                t = answered(t, c.device(), c.answers(), c.to());
                return faultIfError(t, c.device(), c.to(), "device " + c.device() + " entered ERROR on " + c.from()
                        + ">" + c.to());
            }
            case TRANSITION_FAILED: {
                AgentEvent.TransitionFailed f = (AgentEvent.TransitionFailed) e;
                SagaState t = s.withDevice(s.inventory().get(f.device()).observed(f.readBack(), f.sequence(), at));
                t = answered(t, f.device(), f.answers(), null);
                if (f.readBack() != MigrationState.ERROR && t.active().isPresent() && t.active().get().phase().committed()) {
                    // Past the commit point there is no way back: a failed arc that left the device
                    // where it was is retried (within the step's attempts) instead of failing the VM.
                    return t;
                }
                return fault(t, f.device(), "device " + f.device() + ": SET " + f.from() + ">" + f.requested()
                        + " failed with " + dev.vfo.core.vfio.Errno.describe(f.errno()) + " (" + f.detail()
                        + "); read back " + f.readBack());
            }
            case PRE_COPY_PROGRESS: {
                AgentEvent.PreCopyProgress p = (AgentEvent.PreCopyProgress) e;
                SagaState t = sequenced(s, p.device(), p.sequence(), at);
                ActiveMigration m = t.active().orElseThrow();
                PreCopyStats prev = m.preCopy().getOrDefault(p.device(), PreCopyStats.NONE);
                return t.withActive(m.withPreCopy(p.device(), prev.next(p.initialBytes(), p.dirtyBytes(),
                        p.stopCopySizeEstimate(), p.bytesSent())));
            }
            case DATA_TRANSFER_PROGRESS: {
                AgentEvent.DataTransferProgress p = (AgentEvent.DataTransferProgress) e;
                return sequenced(s, p.device(), p.sequence(), at);
            }
            case DATA_TRANSFER_COMPLETED: {
                AgentEvent.DataTransferCompleted c = (AgentEvent.DataTransferCompleted) e;
                SagaState t = sequenced(s, c.device(), c.sequence(), at);
                ActiveMigration m = t.active().orElseThrow();
                if (c.direction() == AgentEvent.Direction.SEND) {
                    return m.bySource(c.device()).isEmpty() ? t
                            : t.withActive(m.withTransfer(c.device(), m.transfer(c.device()).sent(c.sha256())));
                }
                Optional<DevicePlan> p = m.byDestination(c.device());
                return p.isEmpty() ? t
                        : t.withActive(m.withTransfer(p.get().source(), m.transfer(p.get().source()).received(c.sha256())));
            }
            case DATA_TRANSFER_FAILED: {
                AgentEvent.DataTransferFailed f = (AgentEvent.DataTransferFailed) e;
                SagaState t = sequenced(s, f.device(), f.sequence(), at);
                return fault(t, f.device(), "device-state stream of " + f.device() + " failed (" + f.direction() + ", "
                        + f.bytes() + " bytes): " + f.reason());
            }
            case AGENT_HEARTBEAT: {
                AgentEvent.AgentHeartbeat h = (AgentEvent.AgentHeartbeat) e;
                SagaState t = s;
                for (AgentEvent.DeviceStatus st : h.devices()) {
                    Optional<KnownDevice> k = t.device(st.device());
                    if (k.isEmpty() || !k.get().agent().equals(h.agent())) {
                        continue;
                    }
                    if (st.lastSequence() > k.get().lastSequence()) {
                        // Events were lost on the way; the heartbeat's state is newer than what we hold.
                        t = t.withDevice(k.get().observed(st.state(), st.lastSequence(), at));
                        t = faultIfError(t, st.device(), st.state(), "device " + st.device() + " is in ERROR (heartbeat)");
                    } else {
                        t = t.withDevice(k.get().seen(at));
                    }
                }
                return t;
            }
        }
        throw new IllegalStateException("unhandled agent event " + e.kind());
    }

    private static SagaState sequenced(SagaState s, DeviceId d, long sequence, Instant at) {
        KnownDevice k = s.inventory().get(d);
        return s.withDevice(k.observed(k.state(), sequence, at));
    }

    /** {@code reached} is the state the device arrived in, or null when the command failed. */
    private static SagaState answered(SagaState s, DeviceId d, Optional<CommandId> answers, MigrationState reached) {
        if (s.active().isEmpty() || answers.isEmpty()) {
            return s;
        }
        ActiveMigration m = s.active().get();
        Step st = m.step(d);
        if (st == null || !st.pending().equals(answers) || (reached != null && reached != st.target())) {
            return s;
        }
        return s.withActive(m.withStep(d, st.answered(reached != null)));
    }

    private static SagaState faultIfError(SagaState s, DeviceId d, MigrationState state, String reason) {
        return state == MigrationState.ERROR ? fault(s, d, reason) : s;
    }

    /** Records a failure of a device of the migration in flight; source cleanup failures do not count. */
    private static SagaState fault(SagaState s, DeviceId d, String reason) {
        if (s.active().isEmpty() || !s.active().get().involves(d) || s.active().get().phase() == Phase.CLEANUP_SOURCE) {
            return s;
        }
        return s.withActive(s.active().get().withFault(reason));
    }
}
