package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.CommandId;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both sides of a transfer share: the one-shot outcome, the byte count and its progress
 * reports, the deadline, and ending the connection.
 *
 * <p>Threading: once connected, a flow's state is touched only on its connection's Vert.x context;
 * {@link #abort}, the deadline and other threads reach it through {@link #fail(String)}, which
 * hops onto that context. Before a connection exists there is nothing to hang up, so a failure
 * settles directly; the connection, once attached, sees the flow ended and closes.
 */
abstract class Flow implements Transfer {
    private static final Logger LOG = LoggerFactory.getLogger(Flow.class);
    /** How long an ABORT may take to leave before the connection is closed regardless. */
    private static final long HANG_UP_GRACE_MS = 2_000;

    final Vertx vertx;
    private final TransferKey key;
    private final CommandId command;
    private final long epoch;
    private final Direction direction;
    private final TransferListener listener;
    private final long progressEvery;
    private final CompletableFuture<TransferOutcome> outcome = new CompletableFuture<>();
    private volatile Runnable onEnd = () -> { };
    private volatile long bytes;
    private long nextProgress;
    private volatile NetSocket socket;
    private volatile Context context;
    private volatile long deadlineTimer = -1;
    /** The deadline armed and the clock it was read on (null until armed); guarded by this. */
    private Instant deadline;
    private Clock clock;

    Flow(Vertx vertx, TransferKey key, CommandId command, long epoch, Direction direction, TransferListener listener,
            long progressEvery) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.key = Objects.requireNonNull(key, "key");
        this.command = Objects.requireNonNull(command, "command");
        this.epoch = epoch;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.progressEvery = progressEvery;
        this.nextProgress = progressEvery;
    }

    /** Runs {@code r} once the flow ends (its registry forgets it); set before the flow starts. */
    final void whenEnded(Runnable r) {
        onEnd = Objects.requireNonNull(r, "r");
    }

    @Override
    public TransferKey key() {
        return key;
    }

    @Override
    public CommandId command() {
        return command;
    }

    long epoch() {
        return epoch;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    /** Completes on a Vert.x thread: a reaction that blocks must be attached with an *Async method. */
    @Override
    public CompletionStage<TransferOutcome> outcome() {
        return outcome.minimalCompletionStage();
    }

    @Override
    public Optional<TransferOutcome> ended() {
        return Optional.ofNullable(outcome.getNow(null));
    }

    boolean isEnded() {
        return outcome.isDone();
    }

    @Override
    public void abort(String reason) {
        fail("aborted on the " + (direction == Direction.SEND ? "source" : "destination") + ": " + reason);
    }

    /** Fails the flow from any thread; the peer is told with an ABORT frame. */
    final void fail(String reason) {
        Context c = context;
        if (c != null) {
            c.runOnContext(v -> failHere(reason, true));
            return;
        }
        if (settle(failure(reason))) {
            Context attached = context;
            if (attached != null) {
                attached.runOnContext(v -> hangUp(reason, true));
            }
        }
    }

    /** On the connection's context: fails the flow, telling the peer why unless it already left. */
    final void failHere(String reason, boolean tellPeer) {
        if (settle(failure(reason))) {
            hangUp(reason, tellPeer);
        }
    }

    /** Binds the flow to its connection; from now on it lives on {@code home}. */
    final void attach(Context home, NetSocket s) {
        socket = s;
        context = home;
    }

    final NetSocket socket() {
        return socket;
    }

    /** Ends the flow with {@code o}, once; false when it had already ended. */
    final boolean settle(TransferOutcome o) {
        if (!outcome.complete(o)) {
            return false;
        }
        long timer = deadlineTimer;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        onEnd.run();
        if (o.kind() == TransferOutcome.Kind.FAILED) {
            LOG.warn("transfer {} ({}, command {}) failed after {} bytes: {}", key, direction, command, o.bytes(),
                    ((TransferOutcome.Failed) o).reason());
        } else {
            LOG.info("transfer {} ({}, command {}) completed: {} bytes, SHA-256 {}", key, direction, command,
                    o.bytes(), ((TransferOutcome.Completed) o).sha256());
        }
        return true;
    }

    final TransferOutcome.Failed failure(String reason) {
        return new TransferOutcome.Failed(direction, bytes, reason);
    }

    @Override
    public synchronized void extend(Instant later) {
        if (clock == null || isEnded() || !later.isAfter(deadline)) {
            return;
        }
        // The old timer may be firing right now: then the flow has failed and the new one is cancelled.
        vertx.cancelTimer(deadlineTimer);
        armDeadline(later, clock);
    }

    /** Fails the flow when {@code deadline} passes (at once if it already has). */
    final synchronized void armDeadline(Instant deadline, Clock clock) {
        this.deadline = deadline;
        this.clock = clock;
        Duration left = Duration.between(clock.instant(), deadline);
        // Centuries away would overflow the millisecond count; no transfer outlives a year.
        Duration year = Duration.ofDays(365);
        long ms = Math.max(1, (left.compareTo(year) > 0 ? year : left).toMillis());
        deadlineTimer = vertx.setTimer(ms,
                id -> fail("the deadline " + deadline + " passed after " + bytes + " bytes"));
        if (isEnded()) {
            vertx.cancelTimer(deadlineTimer);
        }
    }

    /** Counts bytes moved through the device session; on the connection's context. */
    final void moved(long n) {
        bytes += n;
        if (bytes >= nextProgress) {
            nextProgress = (bytes / progressEvery + 1) * progressEvery;
            listener.progress(new TransferProgress(key, direction, bytes));
        }
    }

    /** Closes the connection, first sending an ABORT when the peer should hear why. */
    private void hangUp(String reason, boolean tellPeer) {
        NetSocket s = socket;
        if (s == null) {
            return;
        }
        if (!tellPeer) {
            s.close();
            return;
        }
        s.write(Wire.abort(reason)).onComplete(ar -> s.close());
        vertx.setTimer(HANG_UP_GRACE_MS, id -> s.close());
    }

    /** Sends {@code last} and closes once it has left. */
    final void finishWith(io.vertx.core.buffer.Buffer last) {
        NetSocket s = socket;
        s.write(last).onComplete(ar -> s.close());
    }
}
