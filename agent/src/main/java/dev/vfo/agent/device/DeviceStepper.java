package dev.vfo.agent.device;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Walks one device toward a target state the way the kernel would, but one arc per SET: reads the
 * flags (refusing undefined combinations with the reason), GETs where the device really is, plans
 * the path with {@link MigrationFsm}, and sends its arcs one at a time, reporting each completed
 * arc as it happens. It stops at the first arc that fails (with the errno and the state read back
 * by a GET) or does not apply, so the agent never acts on a state it has not seen.
 *
 * <p>It also holds the device's data session: it keeps the session a session-opening arc
 * returned, attributes the bytes the session moved to the arc that leaves each state, and closes
 * the session on the arc that ends it (reporting the stream's SHA-256) or when the device leaves
 * it by failure or reset.
 */
public final class DeviceStepper implements AutoCloseable {
    private final VfioDevice device;
    private final Clock clock;
    private DataSession session;
    private long sessionBytesReported;

    public DeviceStepper(VfioDevice device, Clock clock) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public VfioDevice device() {
        return device;
    }

    /** Walks toward {@code target}, reporting nothing as it goes (the result lists every arc). */
    public Walk walk(MigrationState target) {
        return walk(target, report -> { });
    }

    /**
     * Walks toward {@code target}; {@code onArc} hears of each completed arc before the next one
     * is sent, so a crash mid-walk loses no completed arc.
     */
    public synchronized Walk walk(MigrationState target, Consumer<ArcReport> onArc) {
        Objects.requireNonNull(target, "target");
        Outcome<MigrationFlags> flags = device.migrationFlags();
        if (flags.kind() == Outcome.Kind.FAILED) {
            Outcome.Failed<MigrationFlags> f = flags.failure().orElseThrow();
            if (f.errno() == Errno.ENOTTY.value()) {
                return new Walk.Refused(Optional.empty(), target, Optional.of(Errno.ENOTTY),
                        "the device has no migration support (MIGRATION GET answered ENOTTY)");
            }
            return new Walk.Unreadable(target, f.errno(), "reading the migration flags: " + f.detail());
        }
        FlagsReading reading = flags.ok().orElseThrow().read();
        if (reading instanceof FlagsReading.Undefined undefined) {
            return new Walk.Refused(Optional.empty(), target, Optional.empty(), undefined.reason());
        }
        MigrationCapability capability = ((FlagsReading.Defined) reading).capability();
        Outcome<MigrationState> current = device.state();
        if (current.kind() == Outcome.Kind.FAILED) {
            Outcome.Failed<MigrationState> f = current.failure().orElseThrow();
            return new Walk.Unreadable(target, f.errno(), "reading the device state: " + f.detail());
        }
        MigrationState from = current.ok().orElseThrow();
        Transition plan = MigrationFsm.plan(capability, from, target);
        if (plan instanceof Transition.Refused refused) {
            return new Walk.Refused(Optional.of(from), target, Optional.of(refused.errno()), refused.message());
        }
        List<ArcReport> done = new ArrayList<>();
        for (Arc arc : ((Transition.Path) plan).arcs()) {
            Instant started = clock.instant();
            ArcResult result = device.setState(arc);
            Walk stopped = switch (result.kind()) {
                case COMPLETED -> {
                    ArcReport report = account((ArcResult.Completed) result, started, clock.instant());
                    done.add(report);
                    onArc.accept(report);
                    yield null;
                }
                case FAILED -> {
                    ArcResult.Failed failed = (ArcResult.Failed) result;
                    settle(arc, failed.readBack());
                    yield new Walk.Failed(target, done, arc, failed.errno(), failed.detail(), failed.readBack());
                }
                case NOT_SENT -> {
                    ArcResult.NotSent notSent = (ArcResult.NotSent) result;
                    settle(arc, notSent.actual());
                    yield new Walk.Diverged(target, done, arc, notSent.actual(), notSent.reason());
                }
            };
            if (stopped != null) {
                return stopped;
            }
        }
        return new Walk.Reached(target, done);
    }

    /** VFIO_DEVICE_RESET: ends any data session; the device's answer (RUNNING) or the errno. */
    public synchronized Outcome<MigrationState> reset() {
        endSession();
        return device.reset();
    }

    /** The data session the device has open, if any. */
    public synchronized Optional<DataSession> session() {
        return Optional.ofNullable(session);
    }

    public synchronized Optional<SavingSession> savingSession() {
        return session != null && session.kind() == DataSession.Kind.SAVING
                ? Optional.of((SavingSession) session) : Optional.empty();
    }

    public synchronized Optional<ResumingSession> resumingSession() {
        return session != null && session.kind() == DataSession.Kind.RESUMING
                ? Optional.of((ResumingSession) session) : Optional.empty();
    }

    private ArcReport account(ArcResult.Completed completed, Instant started, Instant finished) {
        Arc arc = completed.arc();
        long bytes = 0;
        Optional<String> sha256 = Optional.empty();
        if (session != null) {
            bytes = session.bytesMoved() - sessionBytesReported;
            sessionBytesReported = session.bytesMoved();
            if (endsSession(arc)) {
                sha256 = Optional.of(session.sha256());
                endSession();
            }
        }
        Optional<DataSession.Kind> opened = completed.session().map(DataSession::kind);
        if (completed.session().isPresent()) {
            endSession();
            session = completed.session().get();
            sessionBytesReported = 0;
        }
        return new ArcReport(arc, started, finished, bytes, sha256, opened);
    }

    /** After a failed or unsent arc: keep the session only while the device is still where it was. */
    private void settle(Arc arc, Outcome<MigrationState> where) {
        if (session != null && where.ok().filter(s -> s == arc.from()).isEmpty()) {
            endSession();
        }
    }

    /** Leaving RESUMING, or leaving the saving group, ends the session; moves within the group keep it. */
    private static boolean endsSession(Arc arc) {
        return arc.from() == MigrationState.RESUMING || (arc.from().inSavingGroup() && !arc.to().inSavingGroup());
    }

    private void endSession() {
        if (session != null) {
            session.close();
            session = null;
            sessionBytesReported = 0;
        }
    }

    /** Closes the session the stepper holds; the device itself belongs to the caller. */
    @Override
    public synchronized void close() {
        endSession();
    }
}
