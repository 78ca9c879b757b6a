package dev.vfo.agent.device.sim;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.DataSession;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.StreamTally;
import dev.vfo.agent.device.VfioDevice;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.abi.PrecopyInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A VFIO migration device in memory, faithful to the uAPI where the port can observe it: the
 * kernel's transition rules (via the arcs {@link dev.vfo.core.vfio.MigrationFsm} makes), the four
 * session-opening arcs, one session across the saving group, PRE_COPY's temporary end (ENOMSG)
 * and STOP_COPY's end of stream, a RESUMING stream checked when the device leaves RESUMING, stale
 * sessions failing with ENODEV, ERROR until reset, and ENOTTY for a device without migration
 * (flags 0).
 *
 * <p>The stream is produced and checked on the fly (see {@link StreamFrame}); its bytes depend
 * only on the spec, the content identity and the injected clock, so equal devices give equal
 * streams. Latency is spent through the injected {@link Sleeper}. Calls are serialized on the
 * device, as the kernel serializes them on the device's state mutex.
 */
public final class SimulatedDevice implements VfioDevice {
    /** EBADF: the caller already closed this device or session. */
    static final int EBADF = 9;

    private final SimulatedDeviceSpec spec;
    private final Clock clock;
    private final Sleeper sleeper;
    private final List<ArcFault> faults;
    private final Optional<Path> hold;

    private MigrationState state = MigrationState.RUNNING;
    private ContentIdentity content;
    private long sessionEpoch;
    private SavingStream saving;
    private StreamCheck resuming;
    private StreamVerdict.Valid lastResumed;
    private boolean closed;

    public SimulatedDevice(SimulatedDeviceSpec spec, Clock clock, Sleeper sleeper) {
        this(spec, clock, sleeper, Optional.empty());
    }

    /**
     * A device whose kernel-side state outlives this object: it starts from the {@link HeldState}
     * in {@code hold} when a previous agent run left one, and writes it on every state change.
     */
    public SimulatedDevice(SimulatedDeviceSpec spec, Clock clock, Sleeper sleeper, Optional<Path> hold) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.hold = Objects.requireNonNull(hold, "hold");
        this.faults = new ArrayList<>(spec.faults());
        this.content = spec.content();
        hold.flatMap(HeldState::load).ifPresent(h -> {
            state = h.state();
            content = h.content();
        });
    }

    public SimulatedDeviceSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    /** The device state this device holds now (its own, or the one it last resumed). */
    public synchronized ContentIdentity content() {
        return content;
    }

    /** The last stream this device committed on RESUMING&gt;STOP. */
    public synchronized Optional<StreamVerdict.Valid> lastResumed() {
        return Optional.ofNullable(lastResumed);
    }

    /** Adds a fault at run time (e.g. in the middle of a migration). */
    public synchronized void inject(ArcFault fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
    }

    private boolean migratable() {
        return spec.flags().raw() != 0;
    }

    private <T> Optional<Outcome<T>> refusal(String operation) {
        if (closed) {
            return Optional.of(Outcome.failed(EBADF, operation + " on a closed device"));
        }
        if (!migratable()) {
            return Optional.of(Outcome.failed(Errno.ENOTTY, operation + ": the device has no migration support"));
        }
        return Optional.empty();
    }

    @Override
    public synchronized Outcome<MigrationFlags> migrationFlags() {
        return this.<MigrationFlags>refusal("MIGRATION GET").orElseGet(() -> Outcome.done(spec.flags()));
    }

    @Override
    public synchronized Outcome<MigrationState> state() {
        return this.<MigrationState>refusal("MIG_DEVICE_STATE GET").orElseGet(() -> Outcome.done(state));
    }

    @Override
    public synchronized Outcome<Long> stopCopySize() {
        return this.<Long>refusal("MIG_DATA_SIZE GET").orElseGet(() -> Outcome.done(
                saving != null ? saving.stopCopyEstimate() : SavingStream.wholeStream(spec, content)));
    }

    @Override
    public synchronized ArcResult setState(Arc arc) {
        Objects.requireNonNull(arc, "arc");
        Optional<Outcome<MigrationState>> refused = refusal("MIG_DEVICE_STATE SET " + arc);
        if (refused.isPresent()) {
            Outcome.Failed<MigrationState> f = refused.get().failure().orElseThrow();
            return new ArcResult.Failed(arc, f.errno(), f.detail(), refused.get());
        }
        FlagsReading reading = spec.flags().read();
        if (reading instanceof FlagsReading.Undefined undefined) {
            return new ArcResult.NotSent(arc, Outcome.done(state), undefined.reason());
        }
        if (((FlagsReading.Defined) reading).capability() != arc.capability()) {
            return new ArcResult.NotSent(arc, Outcome.done(state), "the arc was planned for flags "
                    + arc.capability().label() + ", the device has " + spec.flags().describe());
        }
        if (state != arc.from()) {
            return new ArcResult.NotSent(arc, Outcome.done(state), "the device is in " + state + ", not " + arc.from());
        }
        sleeper.sleep(spec.latency().arc(arc.from(), arc.to()));
        Optional<ArcFault> fault = takeFault(arc);
        if (fault.isPresent()) {
            if (fault.get().after() == AfterFailure.ERROR) {
                enterError();
            }
            return new ArcResult.Failed(arc, fault.get().errno(), "injected fault on " + arc, Outcome.done(state));
        }
        if (arc.commitsResumedData()) {
            // A RESUMING device whose writer died with an earlier agent run has no stream: empty.
            StreamVerdict verdict = (resuming != null ? resuming : new StreamCheck(spec.model())).finish();
            if (verdict.kind() == StreamVerdict.Kind.INVALID) {
                if (spec.invalidStreamAfter() == AfterFailure.ERROR) {
                    enterError();
                }
                return new ArcResult.Failed(arc, spec.invalidStreamErrno(),
                        "the resumed stream does not decode: " + ((StreamVerdict.Invalid) verdict).reason(),
                        Outcome.done(state));
            }
            lastResumed = (StreamVerdict.Valid) verdict;
            content = lastResumed.content();
            endSession();
        } else if (arc.from().inSavingGroup() && !arc.to().inSavingGroup()) {
            endSession();
        } else if (arc.from().inSavingGroup() && arc.to() == MigrationState.STOP_COPY && saving != null) {
            // Without a session (its fd died with an earlier agent run) there is nothing to read on.
            saving.enterStopCopy();
        }
        state = arc.to();
        held();
        return new ArcResult.Completed(arc, arc.opensDataSession() ? Optional.of(openSession(arc.to())) : Optional.empty());
    }

    @Override
    public synchronized Outcome<MigrationState> reset() {
        if (closed) {
            return Outcome.failed(EBADF, "RESET on a closed device");
        }
        state = MigrationState.RUNNING;
        endSession();
        held();
        return state();
    }

    @Override
    public synchronized void close() {
        endSession();
        closed = true;
    }

    private Optional<ArcFault> takeFault(Arc arc) {
        for (int i = 0; i < faults.size(); i++) {
            ArcFault f = faults.get(i);
            if (f.matches(arc.from(), arc.to())) {
                if (f.times() == 1) {
                    faults.remove(i);
                } else if (f.times() != Integer.MAX_VALUE) {
                    faults.set(i, new ArcFault(f.from(), f.to(), f.errno(), f.after(), f.times() - 1));
                }
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private void enterError() {
        state = MigrationState.ERROR;
        endSession();
        held();
    }

    /** Writes the kernel-side state before the call that changed it returns (see {@link HeldState}). */
    private void held() {
        hold.ifPresent(file -> new HeldState(state, content).store(file));
    }

    private void endSession() {
        saving = null;
        resuming = null;
        sessionEpoch++;
    }

    private DataSession openSession(MigrationState to) {
        endSession();
        if (to == MigrationState.RESUMING) {
            resuming = new StreamCheck(spec.model());
            return new Resuming(sessionEpoch);
        }
        saving = new SavingStream(spec, content, clock, to == MigrationState.STOP_COPY);
        return new Saving(sessionEpoch);
    }

    /** What the simulated fd answers: its base is shared by the two directions. */
    private abstract class Session {
        final long epoch;
        final StreamTally tally = new StreamTally();
        boolean open = true;

        Session(long epoch) {
            this.epoch = epoch;
        }

        /** EBADF once closed, ENODEV once the device ended the session (state change or reset). */
        Optional<Outcome.Failed<Object>> stale(String operation) {
            if (!open) {
                return Optional.of(new Outcome.Failed<>(EBADF, operation + " on a closed data session"));
            }
            if (closed || epoch != sessionEpoch) {
                return Optional.of(new Outcome.Failed<>(Errno.ENODEV.value(), operation
                        + " on a data session the device has ended (it is now " + state + ")"));
            }
            return Optional.empty();
        }

        public long bytesMoved() {
            synchronized (SimulatedDevice.this) {
                return tally.bytes();
            }
        }

        public String sha256() {
            synchronized (SimulatedDevice.this) {
                return tally.sha256();
            }
        }

        public boolean isOpen() {
            synchronized (SimulatedDevice.this) {
                return open;
            }
        }

        public void close() {
            synchronized (SimulatedDevice.this) {
                open = false;
            }
        }
    }

    private final class Saving extends Session implements SavingSession {
        Saving(long epoch) {
            super(epoch);
        }

        @Override
        public ReadResult read(ByteBuffer dst) {
            if (!dst.hasRemaining()) {
                throw new IllegalArgumentException("read into a full buffer");
            }
            int n;
            synchronized (SimulatedDevice.this) {
                Optional<Outcome.Failed<Object>> stale = stale("read");
                if (stale.isPresent()) {
                    return new ReadResult.Failed(stale.get().errno(), stale.get().detail());
                }
                int from = dst.position();
                n = saving.read(dst);
                if (n > 0) {
                    tally.add(dst, from);
                }
            }
            if (n == 0) {
                return new ReadResult.NoDataNow();
            }
            if (n < 0) {
                return new ReadResult.EndOfStream();
            }
            sleeper.sleep(spec.latency().stream(n));
            return new ReadResult.Bytes(n);
        }

        @Override
        public Outcome<PrecopyInfo> preCopyInfo() {
            synchronized (SimulatedDevice.this) {
                Optional<Outcome.Failed<Object>> stale = stale("PRECOPY_INFO");
                if (stale.isPresent()) {
                    return stale.get().retype();
                }
                if (state != MigrationState.PRE_COPY && state != MigrationState.PRE_COPY_P2P) {
                    return Outcome.failed(Errno.EINVAL, "PRECOPY_INFO in " + state + " (only in PRE_COPY and PRE_COPY_P2P)");
                }
                return Outcome.done(new PrecopyInfo(PrecopyInfo.SIZE, 0, saving.initialBytes(), saving.dirtyBytes()));
            }
        }

        @Override
        public Outcome<Boolean> awaitReadable(Duration timeout) {
            for (int attempt = 0; attempt < 2; attempt++) {
                synchronized (SimulatedDevice.this) {
                    Optional<Outcome.Failed<Object>> stale = stale("poll");
                    if (stale.isPresent()) {
                        return stale.get().retype();
                    }
                    if (saving.readable()) {
                        return Outcome.done(true);
                    }
                }
                if (attempt == 0) {
                    sleeper.sleep(timeout);
                }
            }
            return Outcome.done(false);
        }
    }

    private final class Resuming extends Session implements ResumingSession {
        Resuming(long epoch) {
            super(epoch);
        }

        @Override
        public Outcome<Integer> write(ByteBuffer src) {
            int n;
            synchronized (SimulatedDevice.this) {
                Optional<Outcome.Failed<Object>> stale = stale("write");
                if (stale.isPresent()) {
                    return stale.get().retype();
                }
                int from = src.position();
                resuming.accept(src);
                tally.add(src, from);
                n = src.position() - from;
            }
            sleeper.sleep(spec.latency().stream(n));
            return Outcome.done(n);
        }
    }
}
