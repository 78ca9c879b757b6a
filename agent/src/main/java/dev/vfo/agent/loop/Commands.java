package dev.vfo.agent.loop;

import dev.vfo.agent.device.ArcReport;
import dev.vfo.agent.device.DeviceEvents;
import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.Walk;
import dev.vfo.agent.state.DeviceMark;
import dev.vfo.agent.state.StateDirectory;
import dev.vfo.agent.transfer.Expectation;
import dev.vfo.agent.transfer.Shipment;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.agent.transfer.TransferListener;
import dev.vfo.agent.transfer.TransferOutcome;
import dev.vfo.agent.transfer.TransferProgress;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries out the coordinator's commands on this host's devices and reports every step, with
 * the guarantees of the agent loop (see DESIGN.md in this package): an applied command id is
 * re-reported, never re-executed; stale-epoch, late, foreign and unknown-device commands are
 * refused; a transition is walked one arc at a time and each arc is recorded and acknowledged by
 * Kafka before the next SET; every device event gets the device's next sequence number, recorded
 * in the state directory before it is sent.
 *
 * <p>Single-threaded: every method runs on the agent loop's thread. Transfer progress and
 * outcomes arrive on Vert.x threads and are handed to the loop through {@code mailbox}.
 */
public final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
    private static final int RECENT_REFUSALS = 100;

    /** What became of one command. */
    public enum Verdict {
        EXECUTED,
        /** Already applied: its recorded events were sent again. */
        REREPORTED,
        REFUSED
    }

    private final HostId host;
    private final AgentId agent;
    private final Map<DeviceId, Served> devices = new LinkedHashMap<>();
    private final StateDirectory state;
    private final EventSink sink;
    private final TransferPort transfers;
    private final Clock clock;
    private final Consumer<Runnable> mailbox;
    private final Map<Refusal.Kind, AtomicLong> refusalCounts = new EnumMap<>(Refusal.Kind.class);
    private final List<Refusal> recentRefusals = new CopyOnWriteArrayList<>();
    /** Transfers whose final event is not reported yet (loop thread only). */
    private int unreported;
    /**
     * Each device's latest stream, running or ended (loop thread only): what a re-asked stream is
     * adopted from, and, on the source side, what PreCopyProgress reports on.
     */
    private final Map<DeviceId, Stream> streams = new LinkedHashMap<>();

    private record Served(ServedDevice spec, DeviceStepper stepper, DeviceEvents events) {}

    public Commands(HostId host, AgentId agent, List<ServedDevice> served, StateDirectory state, EventSink sink,
            TransferPort transfers, Clock clock, Consumer<Runnable> mailbox) {
        this.host = Objects.requireNonNull(host, "host");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.state = Objects.requireNonNull(state, "state");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.transfers = Objects.requireNonNull(transfers, "transfers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        for (ServedDevice d : served) {
            if (devices.put(d.id(), new Served(d, new DeviceStepper(d.device(), clock),
                    new DeviceEvents(host, agent, d.vm(), d.id()))) != null) {
                throw new IllegalArgumentException("device " + d.id() + " is served twice");
            }
        }
        for (Refusal.Kind k : Refusal.Kind.values()) {
            refusalCounts.put(k, new AtomicLong());
        }
    }

    /**
     * Before the first command: sends events recorded but never acknowledged, fails transfers a
     * restart cut, reports any state change no event reported (a crash between an arc and its
     * event), then registers every device with its real state.
     */
    public void startUp(String transferEndpoint) {
        List<AgentEvent.DeviceEvent> resend = state.unacknowledged();
        if (!resend.isEmpty()) {
            LOG.info("sending {} events recorded before the restart but never acknowledged", resend.size());
            resend.forEach(sink::send);
            sink.flush();
            state.acknowledged();
        }
        for (AgentCommand cut : state.openTransfers()) {
            try (Mdc m = Mdc.of(cut)) {
                Direction direction = cut.kind() == AgentCommand.Kind.START_DATA_TRANSFER ? Direction.SEND
                        : Direction.RECEIVE;
                LOG.warn("the agent restarted during the {} transfer of command {}: reporting it failed", direction,
                        cut.id());
                DeviceId device = ((AgentCommand.DeviceCommand) cut).device();
                AgentEvent e = emit(device, seq -> new AgentEvent.DataTransferFailed(host, agent, cut.vm(), device, seq,
                        clock.instant(), cut.migration(), cut.id(), direction, 0,
                        "the agent restarted during the transfer; the stream is void and nothing was committed"));
                state.applied(cut.id(), List.of(e), OptionalLong.empty());
                state.transferEnded(cut.id());
            }
        }
        for (Served s : devices.values()) {
            MDC.put(Mdc.DEVICE, s.spec().id().value());
            MDC.put(Mdc.VM, s.spec().vm().value());
            try {
                Outcome<MigrationState> now = s.stepper().device().state();
                Optional<DeviceMark> mark = state.mark(s.spec().id());
                if (now.isDone() && mark.isPresent() && mark.get().state() != now.ok().orElseThrow()) {
                    MigrationState real = now.ok().orElseThrow();
                    LOG.warn("device {} is in {} but the last event reported {}: reporting the unreported change",
                            s.spec().id(), real, mark.get().state());
                    Instant at = clock.instant();
                    emit(s.spec().id(), seq -> new AgentEvent.DeviceStateChanged(host, agent, s.spec().vm(),
                            s.spec().id(), seq, at, Optional.empty(), mark.get().state(), real, at, 0, Optional.empty()));
                }
                emit(s.spec().id(), seq -> registered(s, seq, transferEndpoint, now));
            } finally {
                MDC.remove(Mdc.DEVICE);
                MDC.remove(Mdc.VM);
            }
        }
    }

    private AgentEvent.DeviceRegistered registered(Served s, long seq, String endpoint, Outcome<MigrationState> now) {
        long flags = s.stepper().device().migrationFlags().ok().map(MigrationFlags::raw).orElse(0L);
        long estimate = s.stepper().device().stopCopySize().ok().orElse(0L);
        return new AgentEvent.DeviceRegistered(host, agent, s.spec().vm(), s.spec().id(), seq, clock.instant(),
                s.spec().pciAddress(), s.spec().driver(), s.spec().model(), flags, estimate,
                now.ok().orElse(MigrationState.ERROR), endpoint);
    }

    /** One heartbeat per VM served, with each device's last reported state and sequence. */
    public void heartbeat(long agentEpoch) {
        Map<VmId, List<AgentEvent.DeviceStatus>> byVm = new LinkedHashMap<>();
        for (Served s : devices.values()) {
            state.mark(s.spec().id()).ifPresent(m -> byVm.computeIfAbsent(s.spec().vm(), v -> new ArrayList<>())
                    .add(new AgentEvent.DeviceStatus(s.spec().id(), m.state(), m.sequence())));
        }
        Instant at = clock.instant();
        byVm.forEach((vm, statuses) -> sink.send(new AgentEvent.AgentHeartbeat(host, agent, vm, at, agentEpoch,
                statuses)));
    }

    /**
     * Carries out one command consumed at the offset before {@code nextOffset}, and records it as
     * applied together with that offset (empty: no offset to record, e.g. in unit tests).
     */
    public Verdict handle(AgentCommand c, OptionalLong nextOffset) {
        try (Mdc m = Mdc.of(c)) {
            Optional<List<AgentEvent>> done = state.applied(c.id());
            if (done.isPresent()) {
                LOG.info("command {} was applied before: re-reporting its {} events", c.id(), done.get().size());
                done.get().forEach(sink::send);
                sink.flush();
                nextOffset.ifPresent(state::offset);
                return Verdict.REREPORTED;
            }
            Optional<Refusal> refusal = refusal(c);
            if (refusal.isPresent()) {
                refused(refusal.get());
                nextOffset.ifPresent(state::offset);
                return Verdict.REFUSED;
            }
            state.epoch(c.vm(), c.coordinatorEpoch());
            List<AgentEvent> events = switch (c.kind()) {
                case TRANSITION_DEVICE -> transition((AgentCommand.TransitionDevice) c);
                case RESET_DEVICE -> reset((AgentCommand.ResetDevice) c);
                case START_DATA_TRANSFER -> startTransfer((AgentCommand.StartDataTransfer) c);
                case ACCEPT_DATA_TRANSFER -> acceptTransfer((AgentCommand.AcceptDataTransfer) c);
                case ABORT_MIGRATION -> abort((AgentCommand.AbortMigration) c);
            };
            state.applied(c.id(), events, nextOffset);
            return Verdict.EXECUTED;
        }
    }

    private Optional<Refusal> refusal(AgentCommand c) {
        if (!c.host().equals(host)) {
            return Optional.of(new Refusal(Refusal.Kind.FOREIGN_HOST, c.id(), "the command is for host " + c.host()
                    + ", this agent serves " + host));
        }
        long newest = state.epoch(c.vm());
        if (c.coordinatorEpoch() < newest) {
            return Optional.of(new Refusal(Refusal.Kind.STALE_EPOCH, c.id(), "coordinator epoch " + c.coordinatorEpoch()
                    + " is older than epoch " + newest + " already seen for " + c.vm()));
        }
        Instant now = clock.instant();
        if (now.isAfter(c.deadline())) {
            return Optional.of(new Refusal(Refusal.Kind.LATE, c.id(), "consumed at " + now + ", after its deadline "
                    + c.deadline() + "; the coordinator no longer waits for it"));
        }
        if (c instanceof AgentCommand.DeviceCommand d && !devices.containsKey(d.device())) {
            return Optional.of(new Refusal(Refusal.Kind.UNKNOWN_DEVICE, c.id(), "this agent serves no device "
                    + d.device() + " (it serves " + devices.keySet() + ")"));
        }
        return Optional.empty();
    }

    private void refused(Refusal r) {
        refusalCounts.get(r.kind()).incrementAndGet();
        recentRefusals.add(r);
        while (recentRefusals.size() > RECENT_REFUSALS) {
            recentRefusals.remove(0);
        }
        LOG.warn("refused command {} ({}): {}", r.command(), r.kind(), r.reason());
    }

    /** How many commands were refused, by reason, since the agent started. */
    public Map<Refusal.Kind, Long> refusalCounts() {
        Map<Refusal.Kind, Long> out = new EnumMap<>(Refusal.Kind.class);
        refusalCounts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The latest refusals, oldest first. */
    public List<Refusal> recentRefusals() {
        return List.copyOf(recentRefusals);
    }

    private List<AgentEvent> transition(AgentCommand.TransitionDevice c) {
        Served s = devices.get(c.device());
        List<AgentEvent> events = new ArrayList<>();
        Optional<CommandId> answers = Optional.of(c.id());
        Walk walk = s.stepper().walk(c.target(), (ArcReport arc) -> {
            // Recorded and acknowledged before the next SET: a crash loses no completed arc.
            events.add(emit(c.device(), seq -> s.events().stateChanged(seq, answers, arc)));
            LOG.info("arc {} done in {} ({} bytes)", arc.arc(), arc.took(), arc.bytes());
        });
        MigrationState last = lastState(c.device());
        if (walk.kind() == Walk.Kind.REACHED && events.isEmpty()) {
            // Already there: the kernel takes a SET to the current state as a no-op, and the saga's
            // re-asked goal (after a deadline or a coordinator takeover) waits for an answer to its
            // new id, so the arrival is reported as a zero-arc change rather than left unanswered.
            MigrationState at = s.stepper().device().state().ok().orElse(last);
            Instant now = clock.instant();
            events.add(emit(c.device(), seq -> new AgentEvent.DeviceStateChanged(host, agent, c.vm(), c.device(), seq,
                    now, answers, at, at, now, 0, Optional.empty())));
            LOG.info("already in {}: answered without an arc", at);
        }
        AgentEvent failure = switch (walk.kind()) {
            case REACHED -> null;
            case FAILED -> emit(c.device(), seq -> s.events().transitionFailed(seq, clock.instant(), answers,
                    (Walk.Failed) walk));
            case REFUSED -> {
                Walk.Refused r = (Walk.Refused) walk;
                MigrationState at = r.current().orElse(last);
                yield emit(c.device(), seq -> new AgentEvent.TransitionFailed(host, agent, c.vm(), c.device(), seq,
                        clock.instant(), answers, at, c.target(), r.errno().orElse(Errno.EINVAL).value(), at,
                        "refused, nothing sent: " + r.reason()));
            }
            case DIVERGED -> {
                Walk.Diverged d = (Walk.Diverged) walk;
                yield emit(c.device(), seq -> new AgentEvent.TransitionFailed(host, agent, c.vm(), c.device(), seq,
                        clock.instant(), answers, d.arc().from(), d.arc().to(), Errno.EBUSY.value(),
                        d.actual().ok().orElse(MigrationState.ERROR), "not sent: " + d.reason() + " (read back "
                        + d.actual().describe() + ")"));
            }
            case UNREADABLE -> {
                Walk.Unreadable u = (Walk.Unreadable) walk;
                yield emit(c.device(), seq -> new AgentEvent.TransitionFailed(host, agent, c.vm(), c.device(), seq,
                        clock.instant(), answers, last, c.target(), u.errno(), MigrationState.ERROR,
                        "nothing sent: " + u.detail() + "; the state could not be read, reported as ERROR"));
            }
        };
        if (failure != null) {
            LOG.warn("transition to {} failed: {}", c.target(), failure);
            events.add(failure);
        }
        return events;
    }

    private List<AgentEvent> reset(AgentCommand.ResetDevice c) {
        Served s = devices.get(c.device());
        MigrationState from = lastState(c.device());
        Instant started = clock.instant();
        LOG.info("resetting device {} ({})", c.device(), c.reason());
        Outcome<MigrationState> after = s.stepper().reset();
        Optional<CommandId> answers = Optional.of(c.id());
        AgentEvent e = switch (after.kind()) {
            case DONE -> emit(c.device(), seq -> new AgentEvent.DeviceStateChanged(host, agent, c.vm(), c.device(), seq,
                    clock.instant(), answers, from, after.ok().orElseThrow(), started, 0, Optional.empty()));
            case FAILED -> {
                Outcome.Failed<MigrationState> f = after.failure().orElseThrow();
                MigrationState readBack = s.stepper().device().state().ok().orElse(MigrationState.ERROR);
                yield emit(c.device(), seq -> new AgentEvent.TransitionFailed(host, agent, c.vm(), c.device(), seq,
                        clock.instant(), answers, from, MigrationState.RUNNING, f.errno(), readBack,
                        "VFIO_DEVICE_RESET failed: " + f));
            }
        };
        return List.of(e);
    }

    private List<AgentEvent> startTransfer(AgentCommand.StartDataTransfer c) {
        Stream.Identity asked = Stream.Identity.of(c);
        Optional<List<AgentEvent>> claimed = claimed(c, asked);
        if (claimed.isPresent()) {
            return claimed.get();
        }
        Served s = devices.get(c.device());
        Optional<SavingSession> session = s.stepper().savingSession();
        if (session.isEmpty()) {
            return List.of(transferRefused(c, Direction.SEND, "device " + c.device() + " has no saving session (it is in "
                    + lastState(c.device()) + "); a stream starts in PRE_COPY or STOP_COPY"));
        }
        long expected = s.stepper().device().stopCopySize().ok().orElse(0L);
        state.transferStarted(c);
        Stream x = new Stream(asked, c, session);
        x.attach(transfers.send(Shipment.of(c, session.get(), listener(c, x, expected))));
        watch(c, x);
        LOG.info("sending the state of {} to {} at {}", c.device(), c.destinationDevice(), c.destinationEndpoint());
        return List.of();
    }

    private List<AgentEvent> acceptTransfer(AgentCommand.AcceptDataTransfer c) {
        Stream.Identity asked = Stream.Identity.of(c);
        Optional<List<AgentEvent>> claimed = claimed(c, asked);
        if (claimed.isPresent()) {
            return claimed.get();
        }
        Served s = devices.get(c.device());
        Optional<ResumingSession> session = s.stepper().resumingSession();
        if (session.isEmpty()) {
            return List.of(transferRefused(c, Direction.RECEIVE, "device " + c.device()
                    + " has no resuming session (it is in " + lastState(c.device()) + "); a stream is accepted in RESUMING"));
        }
        state.transferStarted(c);
        Stream x = new Stream(asked, c, Optional.empty());
        x.attach(transfers.expect(Expectation.of(c, session.get(), listener(c, x, 0))));
        watch(c, x);
        LOG.info("expecting the state of {} from {}", c.sourceDevice(), c.sourceHost());
        return List.of();
    }

    /**
     * The answer to a stream request the device's current stream settles (see {@link Stream#claim}),
     * or empty when a new stream is to be opened. A re-asked stream that still flows is adopted (its
     * next events answer {@code c}); one that completed is answered with its completion again, under
     * {@code c}; a conflicting one is refused and the running stream is left alone.
     */
    private Optional<List<AgentEvent>> claimed(AgentCommand.DeviceCommand c, Stream.Identity asked) {
        Optional<Stream> current = Optional.ofNullable(streams.get(c.device()));
        Direction direction = asked.direction();
        switch (Stream.claim(current, asked)) {
            case START:
                return Optional.empty();
            case CONFLICT:
                return Optional.of(List.of(transferRefused(c, direction, current.get().conflict(asked, c.id()))));
            case ADOPT:
                break;
        }
        Stream x = current.get();
        Optional<AgentEvent.DataTransferCompleted> done = x.completion();
        LOG.info("the {} asked for by command {} is the one command {} opened: adopted, not restarted ({})", asked,
                c.id(), x.answered().get(0), done.isPresent() ? "it completed" : "it still flows");
        x.adopt(c.id());
        if (done.isEmpty()) {
            // Bracketed like the first command: a restart mid-stream reports it failed under every id.
            state.transferStarted(c);
            // The coordinator now waits until the new command's deadline, not the first one's.
            x.transfer().extend(c.deadline());
            return Optional.of(List.of());
        }
        AgentEvent.DataTransferCompleted d = done.get();
        return Optional.of(List.of(emit(c.device(), seq -> new AgentEvent.DataTransferCompleted(host, agent, c.vm(),
                c.device(), seq, clock.instant(), c.migration(), c.id(), d.direction(), d.bytes(), d.sha256()))));
    }

    private AgentEvent transferRefused(AgentCommand.DeviceCommand c, Direction direction, String reason) {
        LOG.warn("transfer not started: {}", reason);
        return emit(c.device(), seq -> new AgentEvent.DataTransferFailed(host, agent, c.vm(), c.device(), seq,
                clock.instant(), c.migration(), c.id(), direction, 0, reason));
    }

    /** Progress of stream {@code x}, answering whichever command asked for it last. */
    private TransferListener listener(AgentCommand.DeviceCommand c, Stream x, long expected) {
        Direction direction = x.identity().direction();
        return (TransferProgress p) -> mailbox.accept(() -> {
            try (Mdc m = Mdc.of(c)) {
                emit(c.device(), seq -> new AgentEvent.DataTransferProgress(host, agent, c.vm(), c.device(), seq,
                        clock.instant(), c.migration(), x.answering(), direction, p.bytes(), expected));
            }
        });
    }

    private void watch(AgentCommand.DeviceCommand c, Stream x) {
        Transfer t = x.transfer();
        streams.put(c.device(), x);
        unreported++;
        t.outcome().whenComplete((outcome, error) -> mailbox.accept(() -> {
            unreported--;
            try (Mdc m = Mdc.of(c)) {
                TransferOutcome o = outcome != null ? outcome
                        : new TransferOutcome.Failed(t.direction(), t.bytes(), "the transfer failed: " + error);
                CommandId answers = x.answering();
                AgentEvent e = switch (o.kind()) {
                    case COMPLETED -> {
                        TransferOutcome.Completed done = (TransferOutcome.Completed) o;
                        LOG.info("transfer {} completed: {} bytes, SHA-256 {}", done.direction(), done.bytes(),
                                done.sha256());
                        yield emit(c.device(), seq -> new AgentEvent.DataTransferCompleted(host, agent, c.vm(),
                                c.device(), seq, clock.instant(), c.migration(), answers, done.direction(), done.bytes(),
                                done.sha256()));
                    }
                    case FAILED -> {
                        TransferOutcome.Failed failed = (TransferOutcome.Failed) o;
                        LOG.warn("transfer {} failed after {} bytes: {}", failed.direction(), failed.bytes(),
                                failed.reason());
                        yield emit(c.device(), seq -> new AgentEvent.DataTransferFailed(host, agent, c.vm(), c.device(),
                                seq, clock.instant(), c.migration(), answers, failed.direction(), failed.bytes(),
                                failed.reason()));
                    }
                };
                x.end(e);
                // Every id that asked for the stream re-reports its end if it is delivered again.
                for (CommandId id : x.answered()) {
                    state.applied(id, List.of(e), OptionalLong.empty());
                    state.transferEnded(id);
                }
            }
        }));
    }

    /**
     * VFIO_MIG_GET_PRECOPY_INFO of every device that is pre-copying while its stream flows, as
     * PreCopyProgress (the saga's convergence decision needs initial and dirty bytes and what was
     * sent). Called at the heartbeat interval; a device outside PRE_COPY(_P2P) gives nothing.
     */
    public void preCopyProgress() {
        for (Stream x : List.copyOf(streams.values())) {
            AgentCommand.DeviceCommand c = x.opened();
            MigrationState at = lastState(c.device());
            if (!x.running() || x.saving().isEmpty()
                    || (at != MigrationState.PRE_COPY && at != MigrationState.PRE_COPY_P2P)) {
                continue;
            }
            x.saving().get().preCopyInfo().ok().ifPresent(info -> {
                long estimate = devices.get(c.device()).stepper().device().stopCopySize().ok().orElse(0L);
                try (Mdc m = Mdc.of(c)) {
                    emit(c.device(), seq -> new AgentEvent.PreCopyProgress(host, agent, c.vm(), c.device(), seq,
                            clock.instant(), c.migration(), info.initialBytes(), info.dirtyBytes(), estimate,
                            x.transfer().bytes()));
                }
            });
        }
    }

    private List<AgentEvent> abort(AgentCommand.AbortMigration c) {
        int n = transfers.abort(c.migration(), "the coordinator aborted migration " + c.migration() + ": " + c.reason());
        LOG.info("aborted {} transfers of migration {} ({})", n, c.migration(), c.reason());
        return List.of();
    }

    /** Ends every transfer in flight (their failure events follow through the mailbox). */
    public int abortAll(String reason) {
        int n = 0;
        for (Transfer t : transfers.inFlight()) {
            t.abort(reason);
            n++;
        }
        return n;
    }

    /** True while a transfer this agent started has not had its final event reported. */
    public boolean transfersInFlight() {
        return unreported > 0;
    }

    private MigrationState lastState(DeviceId device) {
        return state.mark(device).map(DeviceMark::state)
                .orElseGet(() -> devices.get(device).stepper().device().state().ok().orElse(MigrationState.ERROR));
    }

    /**
     * Gives the event the device's next sequence number, records it, sends it and waits for Kafka
     * to acknowledge it: the event is durable before the caller touches the device again.
     */
    private AgentEvent emit(DeviceId device, LongFunction<AgentEvent.DeviceEvent> make) {
        AgentEvent.DeviceEvent e = make.apply(state.nextSequence(device));
        state.reserve(e);
        sink.send(e);
        sink.flush();
        state.acknowledged();
        return e;
    }

    /** The devices served, in configuration order. */
    public List<ServedDevice> devices() {
        return devices.values().stream().map(Served::spec).toList();
    }

    /** Releases the steppers' data sessions (the devices belong to the caller). */
    public void closeSessions() {
        devices.values().forEach(s -> s.stepper().close());
    }
}
