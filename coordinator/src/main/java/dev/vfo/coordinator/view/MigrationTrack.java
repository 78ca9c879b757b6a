package dev.vfo.coordinator.view;

import dev.vfo.coordinator.api.DevicePairing;
import dev.vfo.coordinator.api.DeviceProgress;
import dev.vfo.coordinator.api.MigrationEvent;
import dev.vfo.coordinator.api.MigrationPolicy;
import dev.vfo.coordinator.api.MigrationStatus;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.MigrationWatcher;
import dev.vfo.coordinator.api.OnPreCopyLimit;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.saga.Barrier;
import dev.vfo.core.saga.DevicePlan;
import dev.vfo.core.saga.DeviceSnapshot;
import dev.vfo.core.saga.KnownDevice;
import dev.vfo.core.saga.MigrationPlan;
import dev.vfo.core.saga.PreCopyTimeoutAction;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One migration as the read model keeps it: its plan, where it is, and its events for watchers.
 * Mutated only by {@link MigrationLedger} under its lock.
 */
final class MigrationTrack {
    final MigrationPlan plan;
    MigrationStatus status = MigrationStatus.ACTIVE;
    String phase = "ACCEPTED";
    Instant phaseSince;
    Optional<Instant> endedAt = Optional.empty();
    Optional<String> reason = Optional.empty();
    Optional<Instant> stoppedAt = Optional.empty();
    OptionalLong downtimeMs = OptionalLong.empty();
    boolean committed;
    final Map<DeviceId, Long> bytes = new HashMap<>();
    final Map<String, Long> phaseDurationsMs = new LinkedHashMap<>();
    final List<MigrationEvent> events = new ArrayList<>();
    final List<MigrationWatcher> watchers = new ArrayList<>();

    MigrationTrack(MigrationPlan plan) {
        this.plan = plan;
        this.phaseSince = plan.acceptedAt();
    }

    /** Folds one log event of this migration; the SSE event it makes, if any. */
    Optional<MigrationEvent> record(SagaEvent e) {
        JsonObject data = new JsonObject();
        Instant at = phaseSince;
        boolean terminal = false;
        switch (e.kind()) {
            case PLAN_ACCEPTED -> {
                data.put("vm", plan.vm().value()).put("sourceHost", plan.sourceHost().value())
                        .put("destinationHost", plan.destinationHost().value()).put("devices", plan.devices().size());
                at = plan.acceptedAt();
            }
            case PHASE_ENTERED -> {
                SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) e;
                closePhase(p.at());
                phase = p.phase().name();
                phaseSince = p.at();
                at = p.at();
                data.put("phase", phase);
                if (p.phase() == dev.vfo.core.saga.Phase.STOP_COPY) {
                    stoppedAt = Optional.of(p.at());
                }
            }
            case BARRIER_REACHED -> {
                SagaEvent.BarrierReached b = (SagaEvent.BarrierReached) e;
                at = b.at();
                data.put("barrier", b.barrier().name());
                if (b.barrier() == Barrier.COMMITTED) {
                    committed = true;
                }
                if (b.barrier() == Barrier.DESTINATION_RUNNING && stoppedAt.isPresent()) {
                    downtimeMs = OptionalLong.of(Duration.between(stoppedAt.get(), b.at()).toMillis());
                }
            }
            case SWITCHOVER_DECIDED -> {
                SagaEvent.SwitchoverDecided s = (SagaEvent.SwitchoverDecided) e;
                at = s.at();
                data.put("reason", s.reason());
            }
            case COMMAND_ISSUED -> {
                AgentCommand c = ((SagaEvent.CommandIssued) e).command();
                data.put("command", c.id().value()).put("type", c.kind().name()).put("host", c.host().value());
                if (c instanceof AgentCommand.DeviceCommand d) {
                    data.put("device", d.device().value());
                }
                if (c instanceof AgentCommand.TransitionDevice t) {
                    data.put("target", t.target().name());
                }
            }
            case ROLLBACK_STARTED -> {
                SagaEvent.RollbackStarted r = (SagaEvent.RollbackStarted) e;
                at = r.at();
                data.put("reason", r.reason());
            }
            case MIGRATION_COMPLETED -> {
                at = ((SagaEvent.MigrationCompleted) e).at();
                end(MigrationStatus.SUCCEEDED, at, Optional.empty());
                terminal = true;
            }
            case MIGRATION_ROLLED_BACK -> {
                SagaEvent.MigrationRolledBack r = (SagaEvent.MigrationRolledBack) e;
                at = r.at();
                end(MigrationStatus.ROLLED_BACK, at, Optional.of(r.reason()));
                data.put("reason", r.reason());
                terminal = true;
            }
            case MIGRATION_FAILED -> {
                SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) e;
                at = f.at();
                end(MigrationStatus.FAILED, at, Optional.of(f.reason()));
                data.put("reason", f.reason()).put("devices", failedDevices(f));
                terminal = true;
            }
            default -> {
                return Optional.empty();
            }
        }
        MigrationEvent m = new MigrationEvent(plan.migration(), events.size() + 1L, e.kind().name(), at, data,
                terminal);
        events.add(m);
        return Optional.of(m);
    }

    /**
     * What the failure knew of each device: its last reported state and the commands left
     * unanswered with their targets, since the device may be at one of those instead. The
     * migration view's device states keep following the agents' reports after this.
     */
    private static JsonArray failedDevices(SagaEvent.MigrationFailed f) {
        JsonArray out = new JsonArray();
        for (DeviceSnapshot d : f.devices()) {
            JsonObject o = new JsonObject().put("host", d.host().value()).put("device", d.device().value())
                    .put("state", d.state().name());
            JsonArray unanswered = new JsonArray();
            d.unanswered().forEach(u -> unanswered.add(new JsonObject().put("command", u.command().value())
                    .put("target", u.target().name())));
            out.add(o.put("unanswered", unanswered));
        }
        return out;
    }

    void transferred(DeviceId source, long total) {
        bytes.put(source, total);
    }

    private void closePhase(Instant at) {
        if (!phase.equals("ACCEPTED")) {
            phaseDurationsMs.put(phase, Duration.between(phaseSince, at).toMillis());
        }
    }

    private void end(MigrationStatus s, Instant at, Optional<String> why) {
        closePhase(at);
        status = s;
        endedAt = Optional.of(at);
        reason = why;
    }

    boolean ended() {
        return status.ended();
    }

    /** The API view, with device states from {@code vm}'s folded state. */
    MigrationView view(SagaState vm, Optional<MigrationPolicy> asRequested) {
        List<DeviceProgress> devices = new ArrayList<>();
        for (DevicePlan d : plan.devices()) {
            DevicePairing pairing = new DevicePairing(d.source(), d.destination());
            devices.add(new DeviceProgress(pairing, stateOf(vm, d.source()), stateOf(vm, d.destination()),
                    bytes.getOrDefault(d.source(), 0L)));
        }
        long total = bytes.values().stream().mapToLong(Long::longValue).sum();
        return new MigrationView(plan.migration(), plan.vm(), status, phase, devices,
                asRequested.orElseGet(() -> policyOf(plan.policy())), plan.acceptedAt(), endedAt, downtimeMs, total,
                phaseDurationsMs, reason);
    }

    private static MigrationState stateOf(SagaState vm, DeviceId d) {
        KnownDevice k = vm.inventory().get(d);
        return k == null ? MigrationState.RUNNING : k.state();
    }

    /** The API's policy for a saga policy (what a request without the API's own words shows). */
    static MigrationPolicy policyOf(dev.vfo.core.saga.MigrationPolicy p) {
        return new MigrationPolicy(p.downtimeBudget().toMillis(), p.preCopy() ? p.maxPreCopy().toMillis() : 0,
                p.onPreCopyTimeout() == PreCopyTimeoutAction.ABORT ? OnPreCopyLimit.ABORT : OnPreCopyLimit.SWITCH_OVER,
                p.stepDeadline().toMillis(), OptionalLong.of(p.bandwidthBytesPerSecond()));
    }
}
