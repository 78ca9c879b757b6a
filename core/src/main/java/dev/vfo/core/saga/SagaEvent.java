package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.MigrationId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The records of the coordinator's own log for one VM, the saga's only source of truth. Every
 * input is recorded first ({@link MigrationRequested}, {@link CancelRequested},
 * {@link DeviceReported}, {@link TimerFired}, {@link EpochBegan}), followed by what was decided
 * because of it. An audit replays the recorded inputs through {@code decide} and must get the
 * same decisions. Exhaustive handling: switch over {@link #kind()}.
 */
public sealed interface SagaEvent {

    Kind kind();

    enum Kind {
        MIGRATION_REQUESTED,
        CANCEL_REQUESTED,
        DEVICE_REPORTED,
        TIMER_FIRED,
        EPOCH_BEGAN,
        INPUT_IGNORED,
        PLAN_ACCEPTED,
        PLAN_REJECTED,
        PHASE_ENTERED,
        BARRIER_REACHED,
        SWITCHOVER_DECIDED,
        COMMAND_ISSUED,
        ROLLBACK_STARTED,
        MIGRATION_COMPLETED,
        MIGRATION_ROLLED_BACK,
        MIGRATION_FAILED
    }

    /** True for the records of inputs; {@link #input()} turns them back into the input. */
    default boolean recordsInput() {
        return false;
    }

    /** The input this event records; only for events where {@link #recordsInput()}. */
    default SagaInput input() {
        throw new UnsupportedOperationException(kind() + " records a decision, not an input");
    }

    // ---- recorded inputs ----

    record MigrationRequested(MigrationRequest request, Instant at) implements SagaEvent {
        public MigrationRequested {
            Objects.requireNonNull(request);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.MIGRATION_REQUESTED;
        }

        @Override
        public boolean recordsInput() {
            return true;
        }

        @Override
        public SagaInput input() {
            return new SagaInput.Start(request, at);
        }
    }

    record CancelRequested(MigrationId migration, String reason, Instant at) implements SagaEvent {
        public CancelRequested {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.CANCEL_REQUESTED;
        }

        @Override
        public boolean recordsInput() {
            return true;
        }

        @Override
        public SagaInput input() {
            return new SagaInput.Cancel(migration, reason, at);
        }
    }

    /** An agent event as received; the state applies it only if it is new, from the registering agent. */
    record DeviceReported(AgentEvent event, Instant at) implements SagaEvent {
        public DeviceReported {
            Objects.requireNonNull(event);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.DEVICE_REPORTED;
        }

        @Override
        public boolean recordsInput() {
            return true;
        }

        @Override
        public SagaInput input() {
            return new SagaInput.Report(event, at);
        }
    }

    record TimerFired(Instant at) implements SagaEvent {
        public TimerFired {
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.TIMER_FIRED;
        }

        @Override
        public boolean recordsInput() {
            return true;
        }

        @Override
        public SagaInput input() {
            return new SagaInput.Timer(at);
        }
    }

    record EpochBegan(long epoch, Instant at) implements SagaEvent {
        public EpochBegan {
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.EPOCH_BEGAN;
        }

        @Override
        public boolean recordsInput() {
            return true;
        }

        @Override
        public SagaInput input() {
            return new SagaInput.Takeover(epoch, at);
        }
    }

    // ---- decisions ----

    /** The input just recorded changes nothing (duplicate, stale, unknown migration, foreign agent). */
    record InputIgnored(String reason) implements SagaEvent {
        public InputIgnored {
            Objects.requireNonNull(reason);
        }

        @Override
        public Kind kind() {
            return Kind.INPUT_IGNORED;
        }
    }

    record PlanAccepted(MigrationPlan plan) implements SagaEvent {
        public PlanAccepted {
            Objects.requireNonNull(plan);
        }

        @Override
        public Kind kind() {
            return Kind.PLAN_ACCEPTED;
        }
    }

    /** The request was refused; {@code reasons} name every problem found, one per line. */
    record PlanRejected(MigrationId migration, List<String> reasons) implements SagaEvent {
        public PlanRejected {
            Objects.requireNonNull(migration);
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a rejection states its reason");
            }
        }

        @Override
        public Kind kind() {
            return Kind.PLAN_REJECTED;
        }
    }

    record PhaseEntered(MigrationId migration, Phase phase, Instant at) implements SagaEvent {
        public PhaseEntered {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(phase);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.PHASE_ENTERED;
        }
    }

    record BarrierReached(MigrationId migration, Barrier barrier, Instant at) implements SagaEvent {
        public BarrierReached {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(barrier);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.BARRIER_REACHED;
        }
    }

    /** The convergence policy ended pre-copy; {@code reason} shows the numbers it judged. */
    record SwitchoverDecided(MigrationId migration, String reason, Instant at) implements SagaEvent {
        public SwitchoverDecided {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.SWITCHOVER_DECIDED;
        }
    }

    /** The shell publishes {@code command} to its host's agent in the same transaction. */
    record CommandIssued(AgentCommand command) implements SagaEvent {
        public CommandIssued {
            Objects.requireNonNull(command);
        }

        @Override
        public Kind kind() {
            return Kind.COMMAND_ISSUED;
        }
    }

    /** Something failed (or the operator cancelled) before the commit point: the source is restored. */
    record RollbackStarted(MigrationId migration, String reason, Instant at) implements SagaEvent {
        public RollbackStarted {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.ROLLBACK_STARTED;
        }
    }

    /** The VM runs on the destination and the source devices are cleaned up. */
    record MigrationCompleted(MigrationId migration, Instant at) implements SagaEvent {
        public MigrationCompleted {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.MIGRATION_COMPLETED;
        }
    }

    /** The VM runs on the source again, every source device RUNNING, the destination reset. */
    record MigrationRolledBack(MigrationId migration, String reason, Instant at) implements SagaEvent {
        public MigrationRolledBack {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.MIGRATION_ROLLED_BACK;
        }
    }

    /** Neither end could be brought to a running VM: every device's last known state is listed. */
    record MigrationFailed(MigrationId migration, String reason, List<DeviceSnapshot> devices, Instant at)
            implements SagaEvent {
        public MigrationFailed {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            devices = List.copyOf(devices);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.MIGRATION_FAILED;
        }
    }
}
