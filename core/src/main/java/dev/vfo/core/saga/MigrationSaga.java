package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The migration saga of one VM as a {@link Decider}. See DESIGN.md next to this class for the
 * phases, the commit point, the invariants and why each rollback path is safe.
 *
 * <p>{@code decide} records the input, then repeatedly looks at the folded state and emits the
 * next decision until there is none: the decisions depend on the state and the input's time only,
 * so an audit that replays the recorded inputs gets the same events.
 *
 * <p>Not final only so that a test can remove the quiesce barrier ({@link #awaitsQuiesce()}) and
 * show that the simulator then finds a P2P-order violation.
 */
public class MigrationSaga implements Decider<SagaInput, SagaState, SagaEvent> {

    /** Upper bound of decisions in one decide call; a saga that does not settle is a bug. */
    private static final int MAX_ROUNDS = 10_000;

    @Override
    public SagaState initialState() {
        return SagaState.EMPTY;
    }

    @Override
    public boolean isTerminal(SagaState state) {
        return state.active().isEmpty();
    }

    /**
     * Whether every source device must be quiesced (no device able to initiate P2P) before any
     * source device may stop. Always true in the product.
     */
    protected boolean awaitsQuiesce() {
        return true;
    }

    /**
     * When the shell must fire {@link SagaInput.Timer} next: the earliest deadline after the last
     * recorded input (a live command's step deadline, a stream's deadline, the end of pre-copy).
     */
    public Optional<Instant> nextDeadline(SagaState state) {
        if (state.active().isEmpty()) {
            return Optional.empty();
        }
        ActiveMigration m = state.active().get();
        Instant clock = state.clock();
        Instant best = null;
        for (Step st : m.steps().values()) {
            if (st.pending().isPresent()) {
                best = earlier(best, st.deadline(), clock);
            }
        }
        for (Transfer t : m.transfers().values()) {
            if (t.deadline().isPresent() && !t.complete()) {
                best = earlier(best, t.deadline().get(), clock);
            }
        }
        if (m.phase() == Phase.PRE_COPY) {
            best = earlier(best, m.phaseEnteredAt().plus(m.plan().policy().maxPreCopy()), clock);
        }
        return Optional.ofNullable(best);
    }

    private static Instant earlier(Instant best, Instant candidate, Instant clock) {
        if (!candidate.isAfter(clock)) {
            return best;
        }
        return best == null || candidate.isBefore(best) ? candidate : best;
    }

    // ------------------------------------------------------------------ decide

    @Override
    public List<SagaEvent> decide(SagaInput input, SagaState state) {
        return run(input, state).out;
    }

    /** The emitter already folds every decision: the audit's replay takes its state instead of folding again. */
    @Override
    public Decided<SagaState, SagaEvent> decideAndFold(SagaInput input, SagaState state) {
        if (getClass() != MigrationSaga.class) {
            return Decider.super.decideAndFold(input, state); // a subclass may decide differently
        }
        Emitter x = run(input, state);
        return new Decided<>(x.out, x.s);
    }

    private Emitter run(SagaInput input, SagaState state) {
        Emitter x = new Emitter(state, input.at());
        SagaEvent recorded = record(input);
        Optional<String> ignored = ignoreReason(input, state);
        x.emitInput(recorded, ignored.isPresent());
        if (ignored.isPresent()) {
            x.emit(new SagaEvent.InputIgnored(ignored.get()));
            return x;
        }
        if (input.kind() == SagaInput.Kind.START) {
            plan(x, ((SagaInput.Start) input).request());
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (!round(x)) {
                return x;
            }
        }
        throw new IllegalStateException("the saga did not settle within " + MAX_ROUNDS + " decisions");
    }

    /** Accumulates decisions and folds each one into the state as it is made. */
    private final class Emitter {
        SagaState s;
        final Instant now;
        final List<SagaEvent> out = new ArrayList<>();

        Emitter(SagaState s, Instant now) {
            this.s = s;
            this.now = now;
        }

        void emit(SagaEvent e) {
            out.add(e);
            s = evolve(s, e);
        }

        /** The recorded input, folded with the verdict decide already reached (evolve would reach it again). */
        void emitInput(SagaEvent e, boolean ignored) {
            out.add(e);
            s = foldInput(s, e, ignored);
        }

        ActiveMigration m() {
            return s.active().orElseThrow();
        }

        CommandId nextId() {
            String id = "c" + (s.commandCounter() + 1) + ".e" + s.epoch() + "." + m().plan().migration().value();
            return new CommandId(id.length() > 128 ? id.substring(0, 128) : id);
        }
    }

    private static SagaEvent record(SagaInput input) {
        return switch (input.kind()) {
            case START -> new SagaEvent.MigrationRequested(((SagaInput.Start) input).request(), input.at());
            case CANCEL -> {
                SagaInput.Cancel c = (SagaInput.Cancel) input;
                yield new SagaEvent.CancelRequested(c.migration(), c.reason(), c.at());
            }
            case REPORT -> new SagaEvent.DeviceReported(((SagaInput.Report) input).event(), input.at());
            case TIMER -> new SagaEvent.TimerFired(input.at());
            case TAKEOVER -> new SagaEvent.EpochBegan(((SagaInput.Takeover) input).epoch(), input.at());
        };
    }

    /** Why an input changes nothing, or empty if it is acted on. */
    private static Optional<String> ignoreReason(SagaInput input, SagaState s) {
        switch (input.kind()) {
            case START: {
                MigrationRequest r = ((SagaInput.Start) input).request();
                if (s.recentlyFinished().contains(r.migration())) {
                    return Optional.of("migration " + r.migration() + " already finished; a repeated request changes nothing");
                }
                if (s.active().isPresent() && s.active().get().plan().migration().equals(r.migration())) {
                    return Optional.of("migration " + r.migration() + " is already in flight");
                }
                return Optional.empty();
            }
            case CANCEL: {
                SagaInput.Cancel c = (SagaInput.Cancel) input;
                if (s.active().isEmpty() || !s.active().get().plan().migration().equals(c.migration())) {
                    return Optional.of("no migration " + c.migration() + " is in flight");
                }
                ActiveMigration m = s.active().get();
                if (m.phase().committed()) {
                    return Optional.of("migration " + c.migration() + " is past the commit point (" + m.phase()
                            + "); it can only complete");
                }
                if (m.rollbackReason().isPresent()) {
                    return Optional.of("migration " + c.migration() + " is already rolling back: "
                            + m.rollbackReason().get());
                }
                return Optional.empty();
            }
            case REPORT:
                return Observation.ignoreReason(((SagaInput.Report) input).event(), s);
            case TIMER:
                return Optional.empty();
            case TAKEOVER: {
                long e = ((SagaInput.Takeover) input).epoch();
                return e > s.epoch() ? Optional.empty()
                        : Optional.of("stale epoch " + e + "; the current epoch is " + s.epoch());
            }
        }
        throw new IllegalStateException();
    }

    private void plan(Emitter x, MigrationRequest request) {
        if (x.s.active().isPresent()) {
            x.emit(new SagaEvent.PlanRejected(request.migration(), List.of("VM " + request.vm()
                    + " is already migrating (" + x.s.active().get().plan().migration() + ")")));
            return;
        }
        PlanValidation.Result r = PlanValidation.validate(request, x.s.inventory(), x.now);
        if (r.plan().isEmpty()) {
            x.emit(new SagaEvent.PlanRejected(request.migration(), r.reasons()));
            return;
        }
        x.emit(new SagaEvent.PlanAccepted(r.plan().get()));
        x.emit(new SagaEvent.PhaseEntered(request.migration(), Phase.PREPARE_DESTINATION, x.now));
    }

    // ------------------------------------------------------------------ the driving rounds

    /** One decision round: emits the next decisions the state calls for; false when there are none. */
    private boolean round(Emitter x) {
        if (x.s.active().isEmpty()) {
            return false;
        }
        ActiveMigration m = x.m();
        if (m.fault().isPresent() && m.rollbackReason().isEmpty()) {
            return fail(x, m.fault().get());
        }
        List<DevicePlan> devices = m.plan().devices();
        switch (m.phase()) {
            case PREPARE_DESTINATION: {
                List<Goal> goals = new ArrayList<>();
                devices.forEach(p -> goals.add(Goal.arc(p.destination(), MigrationState.RESUMING)));
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.DESTINATION_RESUMING);
                    boolean preCopy = m.plan().policy().preCopy()
                            && devices.stream().anyMatch(p -> p.sourceCapability().has(MigrationFlag.PRE_COPY));
                    phase(x, preCopy ? Phase.PRE_COPY : Phase.QUIESCE);
                });
            }
            case PRE_COPY:
                return preCopy(x, m);
            case QUIESCE: {
                if (!awaitsQuiesce()) {
                    barrier(x, Barrier.SOURCE_QUIESCED);
                    phase(x, Phase.STOP_COPY);
                    return true;
                }
                List<Goal> goals = new ArrayList<>();
                for (DevicePlan p : devices) {
                    if (p.sourceCapability().has(MigrationFlag.P2P)) {
                        MigrationState st = state(x.s, p.source());
                        goals.add(Goal.arc(p.source(), st == MigrationState.PRE_COPY || st == MigrationState.PRE_COPY_P2P
                                ? MigrationState.PRE_COPY_P2P : MigrationState.RUNNING_P2P));
                    }
                }
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.SOURCE_QUIESCED);
                    phase(x, Phase.STOP_COPY);
                });
            }
            case STOP_COPY:
                return stopCopy(x, m);
            case COMMIT: {
                List<Goal> goals = new ArrayList<>();
                devices.forEach(p -> goals.add(Goal.arc(p.destination(), MigrationState.STOP)));
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.COMMITTED);
                    phase(x, Phase.RESUME_P2P);
                });
            }
            case RESUME_P2P: {
                List<Goal> goals = new ArrayList<>();
                devices.forEach(p -> goals.add(Goal.arc(p.destination(),
                        p.destinationCapability().has(MigrationFlag.P2P) ? MigrationState.RUNNING_P2P
                                : MigrationState.RUNNING)));
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.DESTINATION_P2P);
                    phase(x, Phase.RESUME);
                });
            }
            case RESUME: {
                List<Goal> goals = new ArrayList<>();
                devices.forEach(p -> goals.add(Goal.arc(p.destination(), MigrationState.RUNNING)));
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.DESTINATION_RUNNING);
                    phase(x, Phase.CLEANUP_SOURCE);
                });
            }
            case CLEANUP_SOURCE: {
                List<Goal> goals = new ArrayList<>();
                devices.forEach(p -> goals.add(Goal.reset(p.source())));
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.SOURCE_CLEANED);
                    x.emit(new SagaEvent.MigrationCompleted(m.plan().migration(), x.now));
                });
            }
            case ROLLBACK: {
                List<Goal> goals = new ArrayList<>();
                for (DevicePlan p : devices) {
                    goals.add(Goal.reset(p.destination()));
                }
                for (DevicePlan p : devices) {
                    MigrationState st = state(x.s, p.source());
                    if (st == MigrationState.ERROR) {
                        continue; // reset only once no peer is halted (ROLLBACK_RESUME)
                    }
                    boolean initiating = st == MigrationState.RUNNING || st == MigrationState.PRE_COPY;
                    goals.add(Goal.arc(p.source(), initiating || !p.sourceCapability().has(MigrationFlag.P2P)
                            ? MigrationState.RUNNING : MigrationState.RUNNING_P2P));
                }
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.ROLLBACK_QUIESCED);
                    phase(x, Phase.ROLLBACK_RESUME);
                });
            }
            case ROLLBACK_RESUME: {
                List<Goal> goals = new ArrayList<>();
                for (DevicePlan p : devices) {
                    goals.add(state(x.s, p.source()) == MigrationState.ERROR ? Goal.reset(p.source())
                            : Goal.arc(p.source(), MigrationState.RUNNING));
                }
                return afterGoals(x, goals, () -> {
                    barrier(x, Barrier.SOURCE_RUNNING);
                    x.emit(new SagaEvent.MigrationRolledBack(m.plan().migration(), m.rollbackReason().orElseThrow(),
                            x.now));
                });
            }
        }
        throw new IllegalStateException("unhandled phase " + m.phase());
    }

    private boolean preCopy(Emitter x, ActiveMigration m) {
        List<Goal> goals = new ArrayList<>();
        for (DevicePlan p : m.plan().devices()) {
            if (p.sourceCapability().has(MigrationFlag.PRE_COPY)) {
                goals.add(Goal.arc(p.source(), MigrationState.PRE_COPY));
            }
        }
        Progress progress = advance(x, goals);
        if (progress == Progress.EMITTED) {
            return true;
        }
        for (DevicePlan p : m.plan().devices()) {
            if (state(x.s, p.source()) == MigrationState.PRE_COPY && !m.transfer(p.source()).open()
                    && !live(x, p.source())) {
                openTransfer(x, p);
                return true;
            }
        }
        boolean timedOut = !x.now.isBefore(m.phaseEnteredAt().plus(m.plan().policy().maxPreCopy()));
        if (progress == Progress.SATISFIED || timedOut) {
            Convergence.Verdict v = Convergence.judge(m.plan(), m.preCopy(), x.s.inventory(), m.phaseEnteredAt(), x.now);
            switch (v.kind()) {
                case CONTINUE:
                    return false;
                case SWITCH_OVER:
                    x.emit(new SagaEvent.SwitchoverDecided(m.plan().migration(), v.reason(), x.now));
                    barrier(x, Barrier.PRE_COPY_DONE);
                    phase(x, Phase.QUIESCE);
                    return true;
                case ABORT:
                    return fail(x, v.reason());
            }
        }
        return false;
    }

    private boolean stopCopy(Emitter x, ActiveMigration m) {
        List<Goal> goals = new ArrayList<>();
        m.plan().devices().forEach(p -> goals.add(Goal.arc(p.source(), MigrationState.STOP_COPY)));
        Progress progress = advance(x, goals);
        if (progress == Progress.EMITTED) {
            return true;
        }
        MigrationPolicy policy = m.plan().policy();
        boolean allComplete = true;
        for (DevicePlan p : m.plan().devices()) {
            Transfer t = m.transfer(p.source());
            if (!t.open()) {
                allComplete = false;
                if (state(x.s, p.source()) == MigrationState.STOP_COPY && !live(x, p.source())) {
                    openTransfer(x, p);
                    return true;
                }
                continue;
            }
            if (t.complete()) {
                if (!t.sentSha().equals(t.receivedSha())) {
                    return fail(x, "device state of " + p.source() + " arrived corrupted at " + p.destination()
                            + ": sent sha256 " + t.sentSha().get() + ", received " + t.receivedSha().get());
                }
                continue;
            }
            allComplete = false;
            boolean expired = t.deadline().isPresent() && !x.now.isBefore(t.deadline().get());
            if (t.reissue() || expired) {
                if (!t.reissue() && t.attempts() >= policy.maxAttempts()) {
                    return fail(x, "the device-state stream of " + p.source() + " to " + p.destination()
                            + " did not complete after " + t.attempts() + " attempts of " + policy.transferDeadline());
                }
                openTransfer(x, p);
                return true;
            }
        }
        if (progress == Progress.SATISFIED && allComplete) {
            barrier(x, Barrier.DATA_TRANSFERRED);
            phase(x, Phase.COMMIT);
            return true;
        }
        return false;
    }

    private void openTransfer(Emitter x, DevicePlan p) {
        ActiveMigration m = x.m();
        MigrationPolicy policy = m.plan().policy();
        Instant deadline = x.now.plus(policy.transferDeadline());
        if (m.phase() == Phase.PRE_COPY) {
            deadline = deadline.plus(policy.maxPreCopy());
        }
        x.emit(new SagaEvent.CommandIssued(new AgentCommand.AcceptDataTransfer(x.nextId(), m.plan().migration(),
                x.s.epoch(), p.destinationHost(), m.plan().vm(), deadline, p.destination(), p.sourceHost(), p.source())));
        x.emit(new SagaEvent.CommandIssued(new AgentCommand.StartDataTransfer(x.nextId(), m.plan().migration(),
                x.s.epoch(), p.sourceHost(), m.plan().vm(), deadline, p.source(), p.destinationHost(), p.destination(),
                p.destinationEndpoint())));
    }

    private boolean afterGoals(Emitter x, List<Goal> goals, Runnable whenSatisfied) {
        Progress p = advance(x, goals);
        if (p == Progress.SATISFIED) {
            whenSatisfied.run();
            return true;
        }
        return p == Progress.EMITTED;
    }

    private enum Progress {
        EMITTED,
        WAITING,
        SATISFIED
    }

    /** Where one device must get to in this phase: a state by single arcs, or RUNNING by reset. */
    private record Goal(DeviceId device, MigrationState target, boolean viaReset) {
        static Goal arc(DeviceId d, MigrationState target) {
            return new Goal(d, target, false);
        }

        static Goal reset(DeviceId d) {
            return new Goal(d, MigrationState.RUNNING, true);
        }
    }

    /**
     * Moves devices one arc at a time toward their goals: waits for a live command, re-issues a
     * command whose deadline passed (the agent refuses it now) or that a takeover must repeat
     * under the new epoch, fails a step out of attempts, and issues the next arc only when the
     * P2P-order rules allow it given every peer's known state and live command.
     */
    private Progress advance(Emitter x, List<Goal> goals) {
        boolean waiting = false;
        ActiveMigration m = x.m();
        int maxAttempts = attempts(m);
        for (Goal g : goals) {
            KnownDevice k = x.s.inventory().get(g.device());
            Step st = m.step(g.device());
            boolean pending = st != null && st.pending().isPresent();
            if (pending && st.reissue()) {
                issue(x, g.device(), st.target(), st.reset(), st.attempts());
                return Progress.EMITTED;
            }
            if (pending && st.live(x.now)) {
                waiting = true;
                continue;
            }
            // An unanswered, expired command may still have run (its report lost): a device counts as
            // arrived only once its last command was answered; otherwise the goal is asked again,
            // which the kernel turns into a no-op when the device is already there.
            if (!pending && k.state() == g.target()) {
                continue;
            }
            MigrationState next;
            if (g.viaReset()) {
                next = MigrationState.RUNNING;
            } else {
                Transition t = MigrationFsm.next(capability(m, g.device()), k.state(), g.target());
                if (t instanceof Transition.Refused r) {
                    if (fail(x, "device " + g.device() + " cannot go from " + k.state() + " toward " + g.target() + ": "
                            + r.message())) {
                        return Progress.EMITTED;
                    }
                    waiting = true;
                    continue;
                }
                next = ((Transition.Path) t).next();
            }
            if (!permitted(x.s, m, g.device(), next)) {
                waiting = true;
                continue;
            }
            int attempts = st != null && st.reset() == g.viaReset() && st.target() == next ? st.attempts() + 1 : 1;
            if (attempts > maxAttempts) {
                if (fail(x, "device " + g.device() + " did not reach " + next + " (" + (g.viaReset() ? "reset"
                        : "one arc from " + k.state()) + ") in " + maxAttempts + " attempts (deadline "
                        + m.plan().policy().stepDeadline() + ", doubling); last known state " + k.state())) {
                    return Progress.EMITTED;
                }
                waiting = true;
                continue;
            }
            issue(x, g.device(), next, g.viaReset(), attempts);
            return Progress.EMITTED;
        }
        return waiting ? Progress.WAITING : Progress.SATISFIED;
    }

    /**
     * How many times a step is issued before it counts as failed. Forward steps before the commit
     * point give up after the policy's attempts: a rollback is cheap and safe then. A rollback or
     * a resume past the commit point has no better fallback, so it tries {@value #PERSISTENCE}
     * more times (with doubling deadlines) before declaring the migration failed.
     */
    private static int attempts(ActiveMigration m) {
        boolean noFallback = m.rollbackReason().isPresent() || m.phase().committed();
        return m.plan().policy().maxAttempts() + (noFallback ? PERSISTENCE : 0);
    }

    private static final int PERSISTENCE = 3;

    private void issue(Emitter x, DeviceId d, MigrationState target, boolean reset, int attempts) {
        ActiveMigration m = x.m();
        HostId host = x.s.inventory().get(d).host();
        // Each retry waits twice as long: a device slower than the step deadline still gets through.
        Instant deadline = x.now.plus(m.plan().policy().stepDeadline().multipliedBy(1L << Math.max(0, Math.min(attempts - 1, 10))));
        AgentCommand c = reset
                ? new AgentCommand.ResetDevice(x.nextId(), m.plan().migration(), x.s.epoch(), host, m.plan().vm(),
                        deadline, d, resetReason(m))
                : new AgentCommand.TransitionDevice(x.nextId(), m.plan().migration(), x.s.epoch(), host, m.plan().vm(),
                        deadline, d, target);
        x.emit(new SagaEvent.CommandIssued(c));
    }

    private static String resetReason(ActiveMigration m) {
        return switch (m.phase()) {
            case CLEANUP_SOURCE -> "source cleanup after the VM moved";
            case ROLLBACK, ROLLBACK_RESUME -> "rollback: " + m.rollbackReason().orElse("");
            case PREPARE_DESTINATION, PRE_COPY, QUIESCE, STOP_COPY, COMMIT, RESUME_P2P, RESUME -> "recovery";
        };
    }

    /**
     * The two P2P-order rules, for the instance that runs the VM (the source before the commit
     * point, the destination after it): a device may enter STOP or STOP_COPY only if no peer is in,
     * or has a command toward, RUNNING or PRE_COPY; it may enter RUNNING or PRE_COPY only if no
     * peer is in, or has a command toward, STOP, STOP_COPY or RESUMING. The other instance runs no
     * guest, so its devices are free (destination preparation, resets in rollback and cleanup).
     */
    private boolean permitted(SagaState s, ActiveMigration m, DeviceId d, MigrationState next) {
        boolean source = m.bySource(d).isPresent();
        boolean running = source != m.phase().committed();
        if (!running) {
            return true;
        }
        boolean stopping = next.isHalted();
        boolean starting = next.mayInitiateP2p();
        if (!stopping && !starting) {
            return true;
        }
        if (stopping && !awaitsQuiesce()) {
            return true;
        }
        for (DevicePlan p : m.plan().devices()) {
            DeviceId peer = source ? p.source() : p.destination();
            if (peer.equals(d)) {
                continue;
            }
            MigrationState ps = state(s, peer);
            Step st = m.step(peer);
            MigrationState toward = st != null && st.pending().isPresent() ? st.target() : null;
            if (stopping && (ps.mayInitiateP2p() || (toward != null && toward.mayInitiateP2p()))) {
                return false;
            }
            if (starting && (ps.isHalted() || (toward != null && toward.isHalted()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A failure: before the commit point it rolls back; in a rollback or after the commit point the
     * migration fails, but only once no command is live any more (the agents refuse to start a
     * command past its deadline). An arc started before its deadline can still end after it, so
     * each device is listed with its unanswered command, if any (see {@link #snapshot}). Returns
     * whether it emitted.
     */
    private boolean fail(Emitter x, String reason) {
        ActiveMigration m = x.m();
        boolean fatal = m.rollbackReason().isPresent() || m.phase().committed();
        if (fatal && m.phase() != Phase.CLEANUP_SOURCE
                && m.steps().values().stream().anyMatch(st -> st.live(x.now))) {
            return false;
        }
        if (m.rollbackReason().isPresent()) {
            x.emit(new SagaEvent.MigrationFailed(m.plan().migration(), "rollback could not finish: " + reason
                    + " (rolling back because: " + m.rollbackReason().get() + ")", snapshots(x.s, m), x.now));
            return true;
        }
        if (m.phase() == Phase.CLEANUP_SOURCE) {
            // The VM runs on the destination; a source device that cannot be reset stays stopped, which is safe.
            x.emit(new SagaEvent.MigrationCompleted(m.plan().migration(), x.now));
            return true;
        }
        if (m.phase().committed()) {
            x.emit(new SagaEvent.MigrationFailed(m.plan().migration(), "after the commit point: " + reason,
                    snapshots(x.s, m), x.now));
            return true;
        }
        x.emit(new SagaEvent.RollbackStarted(m.plan().migration(), reason, x.now));
        Instant deadline = x.now.plus(m.plan().policy().stepDeadline());
        for (HostId host : List.of(m.plan().sourceHost(), m.plan().destinationHost())) {
            x.emit(new SagaEvent.CommandIssued(new AgentCommand.AbortMigration(x.nextId(), m.plan().migration(),
                    x.s.epoch(), host, m.plan().vm(), deadline, reason)));
        }
        phase(x, Phase.ROLLBACK);
        return true;
    }

    private static List<DeviceSnapshot> snapshots(SagaState s, ActiveMigration m) {
        List<DeviceSnapshot> out = new ArrayList<>();
        for (DevicePlan p : m.plan().devices()) {
            out.add(snapshot(s, m, p.sourceHost(), p.source()));
        }
        for (DevicePlan p : m.plan().devices()) {
            out.add(snapshot(s, m, p.destinationHost(), p.destination()));
        }
        return out;
    }

    /**
     * No command is live when the migration fails, but one past its deadline may have run anyway (an
     * arc the agent started in time ends after the deadline), so every command since the device's
     * last answer is listed beside the last reported state: the doubt {@code permitted} grants a
     * peer's unanswered command, extended to the commands it superseded.
     */
    private static DeviceSnapshot snapshot(SagaState s, ActiveMigration m, HostId host, DeviceId d) {
        Step st = m.step(d);
        return new DeviceSnapshot(host, d, state(s, d), st == null ? List.of() : st.unanswered());
    }

    private static void barrier(Emitter x, Barrier b) {
        x.emit(new SagaEvent.BarrierReached(x.m().plan().migration(), b, x.now));
    }

    private static void phase(Emitter x, Phase p) {
        x.emit(new SagaEvent.PhaseEntered(x.m().plan().migration(), p, x.now));
    }

    private static boolean live(Emitter x, DeviceId d) {
        Step st = x.m().step(d);
        return st != null && st.live(x.now);
    }

    private static MigrationState state(SagaState s, DeviceId d) {
        return s.inventory().get(d).state();
    }

    private static MigrationCapability capability(ActiveMigration m, DeviceId d) {
        return m.bySource(d).map(DevicePlan::sourceCapability)
                .orElseGet(() -> m.byDestination(d).orElseThrow().destinationCapability());
    }

    // ------------------------------------------------------------------ evolve

    /**
     * Folds an event that records an input, given whether {@link #ignoreReason} ignores that input
     * on {@code s}: the one place the two input events that can be ignored change the state.
     */
    private SagaState foldInput(SagaState s, SagaEvent e, boolean ignored) {
        switch (e.kind()) {
            case CANCEL_REQUESTED: {
                SagaEvent.CancelRequested c = (SagaEvent.CancelRequested) e;
                SagaState t = s.withClock(c.at());
                return ignored ? t
                        : t.withActive(t.active().orElseThrow().withFault("cancelled by the operator: " + c.reason()));
            }
            case DEVICE_REPORTED: {
                SagaEvent.DeviceReported r = (SagaEvent.DeviceReported) e;
                SagaState t = s.withClock(r.at());
                return ignored ? t : Observation.apply(t, r.event(), r.at());
            }
            default:
                return evolve(s, e);
        }
    }

    @Override
    public SagaState evolve(SagaState s, SagaEvent e) {
        switch (e.kind()) {
            case MIGRATION_REQUESTED:
                return s.withClock(((SagaEvent.MigrationRequested) e).at());
            case CANCEL_REQUESTED:
                return foldInput(s, e, ignoreReason(e.input(), s).isPresent());
            case DEVICE_REPORTED:
                return foldInput(s, e, Observation.ignoreReason(((SagaEvent.DeviceReported) e).event(), s).isPresent());
            case TIMER_FIRED:
                return s.withClock(((SagaEvent.TimerFired) e).at());
            case EPOCH_BEGAN: {
                SagaEvent.EpochBegan b = (SagaEvent.EpochBegan) e;
                SagaState t = s.withClock(b.at());
                if (b.epoch() <= s.epoch()) {
                    return t;
                }
                t = t.withEpoch(b.epoch());
                if (t.active().isEmpty()) {
                    return t;
                }
                ActiveMigration m = t.active().get();
                SortedMap<DeviceId, Step> steps = new TreeMap<>();
                m.steps().forEach((d, st) -> steps.put(d, st.forReissue()));
                SortedMap<DeviceId, Transfer> transfers = new TreeMap<>();
                m.transfers().forEach((d, tr) -> transfers.put(d, tr.forReissue()));
                return t.withActive(m.withSteps(steps).withTransfers(transfers));
            }
            case INPUT_IGNORED:
            case PLAN_REJECTED:
            case BARRIER_REACHED:
            case SWITCHOVER_DECIDED:
                return s;
            case PLAN_ACCEPTED:
                return s.withActive(ActiveMigration.start(((SagaEvent.PlanAccepted) e).plan()));
            case PHASE_ENTERED: {
                SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) e;
                ActiveMigration m = s.active().orElseThrow();
                SortedMap<DeviceId, Step> steps = new TreeMap<>();
                m.steps().forEach((d, st) -> {
                    if (st.pending().isPresent()) {
                        steps.put(d, st.forNewPhase());
                    }
                });
                SortedMap<DeviceId, Transfer> transfers = new TreeMap<>();
                if (p.phase() == Phase.STOP_COPY) {
                    Optional<Instant> deadline = Optional.of(p.at().plus(m.plan().policy().transferDeadline()));
                    m.transfers().forEach((d, tr) -> transfers.put(d, tr.complete() ? tr : tr.withDeadline(deadline)));
                } else if (!p.phase().rollingBack()) {
                    transfers.putAll(m.transfers());
                }
                return s.withActive(m.withPhase(p.phase(), p.at(), steps, transfers));
            }
            case COMMAND_ISSUED:
                return issued(s.withCounter(s.commandCounter() + 1), ((SagaEvent.CommandIssued) e).command());
            case ROLLBACK_STARTED:
                return s.withActive(s.active().orElseThrow().rollingBack(((SagaEvent.RollbackStarted) e).reason()));
            case MIGRATION_COMPLETED:
                return s.finished(((SagaEvent.MigrationCompleted) e).migration());
            case MIGRATION_ROLLED_BACK:
                return s.finished(((SagaEvent.MigrationRolledBack) e).migration());
            case MIGRATION_FAILED:
                return s.finished(((SagaEvent.MigrationFailed) e).migration());
        }
        throw new IllegalStateException("unhandled event " + e.kind());
    }

    private static SagaState issued(SagaState s, AgentCommand c) {
        ActiveMigration m = s.active().orElseThrow();
        switch (c.kind()) {
            case TRANSITION_DEVICE: {
                AgentCommand.TransitionDevice t = (AgentCommand.TransitionDevice) c;
                return s.withActive(m.withStep(t.device(), nextStep(m.step(t.device()), t.target(), false, t.id(),
                        t.deadline())));
            }
            case RESET_DEVICE: {
                AgentCommand.ResetDevice r = (AgentCommand.ResetDevice) c;
                return s.withActive(m.withStep(r.device(), nextStep(m.step(r.device()), MigrationState.RUNNING, true,
                        r.id(), r.deadline())));
            }
            case START_DATA_TRANSFER: {
                AgentCommand.StartDataTransfer t = (AgentCommand.StartDataTransfer) c;
                Transfer tr = m.transfer(t.device());
                int attempts = tr.reissue() ? tr.attempts() : tr.attempts() + 1;
                Optional<Instant> deadline = m.phase() == Phase.STOP_COPY ? Optional.of(t.deadline()) : Optional.empty();
                return s.withActive(m.withTransfer(t.device(), tr.withSend(t.id(), attempts, deadline)));
            }
            case ACCEPT_DATA_TRANSFER: {
                AgentCommand.AcceptDataTransfer a = (AgentCommand.AcceptDataTransfer) c;
                return s.withActive(m.withTransfer(a.sourceDevice(), m.transfer(a.sourceDevice()).withAccept(a.id())));
            }
            case ABORT_MIGRATION:
                return s;
        }
        throw new IllegalStateException("unhandled command " + c.kind());
    }

    private static Step nextStep(Step prev, MigrationState target, boolean reset, CommandId id, Instant deadline) {
        int attempts = 1;
        if (prev != null && prev.reset() == reset && prev.target() == target) {
            attempts = prev.reissue() ? prev.attempts() : prev.attempts() + 1;
        }
        return Step.issued(prev, target, reset, attempts, id, deadline);
    }
}
