package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.MigrationEvent;
import dev.vfo.coordinator.api.MigrationWatcher;
import dev.vfo.coordinator.api.Watch;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's server-sent event stream of one migration.
 *
 * <p>The desk calls {@link #onEvent} from its own thread; everything else happens on the HTTP
 * context, reached with {@code runOnContext} (FIFO, so order is kept). Memory per client is
 * bounded twice: at most {@code maxPending} events wait for the context, and once the socket's
 * write queue is full the client is too slow and is disconnected; it can resume with
 * Last-Event-ID. Dropping a slow reader protects the coordinator; the events stay in the log.
 */
final class EventStream implements MigrationWatcher {
    private enum Phase { WAITING, OPEN, CLOSED }

    private final Context context;
    private final HttpServerResponse response;
    private final int maxPending;
    private final Duration heartbeat;
    private final AtomicInteger pending = new AtomicInteger();
    private final Deque<MigrationEvent> early = new ArrayDeque<>();
    private Phase phase = Phase.WAITING;
    private boolean endRequested;
    private Watch watch;
    private long heartbeatTimer = -1;

    EventStream(Context context, HttpServerResponse response, int maxPending, Duration heartbeat) {
        this.context = context;
        this.response = response;
        this.maxPending = maxPending;
        this.heartbeat = heartbeat;
        response.closeHandler(v -> close());
    }

    @Override
    public void onEvent(MigrationEvent event) {
        if (pending.incrementAndGet() > maxPending) {
            context.runOnContext(v -> drop());
            return;
        }
        context.runOnContext(v -> deliver(event));
    }

    @Override
    public void onEnd() {
        context.runOnContext(v -> {
            endRequested = true;
            if (phase == Phase.OPEN) {
                finish();
            }
        });
    }

    /** The desk accepted the subscription: send the head, then what arrived meanwhile. */
    void open(Watch acceptedWatch) {
        watch = acceptedWatch;
        if (phase == Phase.CLOSED) {
            // The client left while the desk was still subscribing.
            acceptedWatch.cancel();
            return;
        }
        phase = Phase.OPEN;
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-store")
                .putHeader("x-accel-buffering", "no");
        // A comment first, so the client sees the 200 before the first event.
        response.write(": stream open\n\n");
        heartbeatTimer = context.owner().setPeriodic(heartbeat.toMillis(), id -> {
            if (phase == Phase.OPEN) {
                response.write(": heartbeat\n\n");
            }
        });
        while (!early.isEmpty() && phase == Phase.OPEN) {
            pending.decrementAndGet();
            write(early.poll());
        }
        if (endRequested && phase == Phase.OPEN) {
            finish();
        }
    }

    /** The desk could not subscribe (unknown migration, failure); the caller answers instead. */
    void abandon() {
        stop();
    }

    /** Whether the stream is over (client gone, dropped, or migration ended). */
    boolean closed() {
        return phase == Phase.CLOSED;
    }

    private void deliver(MigrationEvent event) {
        if (phase == Phase.WAITING) {
            // Still counted as pending until written, so the bound covers this queue too.
            early.add(event);
            return;
        }
        pending.decrementAndGet();
        if (phase == Phase.OPEN) {
            write(event);
        }
    }

    private void write(MigrationEvent event) {
        if (response.writeQueueFull()) {
            drop();
            return;
        }
        response.write(JsonRepresentation.sse(event));
    }

    private void finish() {
        if (phase == Phase.CLOSED) {
            return;
        }
        stop();
        response.end();
    }

    private void drop() {
        if (phase == Phase.CLOSED) {
            return;
        }
        stop();
        // Closing the connection is the only way to tell an SSE client it fell behind; it
        // reconnects with Last-Event-ID and gets the rest as replay.
        response.reset();
    }

    private void close() {
        if (phase != Phase.CLOSED) {
            stop();
        }
    }

    private void stop() {
        phase = Phase.CLOSED;
        early.clear();
        if (heartbeatTimer >= 0) {
            context.owner().cancelTimer(heartbeatTimer);
        }
        if (watch != null) {
            watch.cancel();
        }
    }
}
