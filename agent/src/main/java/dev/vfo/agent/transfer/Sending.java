package dev.vfo.agent.transfer;

import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ReadResult;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.core.protocol.AgentEvent.Direction;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of one transfer: connects, says HELLO, waits for ACCEPT, then streams the
 * saving session chunk by chunk until its end of stream, sends the trailer and waits for the
 * destination's RECEIVED.
 *
 * <p>One chunk is read at a time, on a worker thread (device reads block; a pre-copying device
 * is polled there with a bounded wait), and the next read starts only once the socket's write
 * queue has room: memory per transfer is one chunk plus the socket's queue, whatever the stream's
 * length. In PRE_COPY the session pauses (no data now) and the sender keeps polling it; after the
 * device moved to STOP_COPY the same session runs on to its end of stream.
 */
final class Sending extends Flow {
    private static final Logger LOG = LoggerFactory.getLogger(Sending.class);

    private enum Phase {
        CONNECTING,
        AWAITING_ACCEPT,
        STREAMING,
        AWAITING_VERDICT
    }

    /** What one worker read gave: {@code count} bytes in the chunk, then {@code end} (null: the chunk filled). */
    private record Chunk(int count, ReadResult end) {}

    private final Shipment shipment;
    private final WorkerExecutor worker;
    private final Duration poll;
    private final byte[] chunk;
    private Phase phase = Phase.CONNECTING;
    private Digest sent;
    /** The last socket error: it names why a connection closed (a TLS alert, a reset). */
    private String lastError;

    Sending(Vertx vertx, Shipment shipment, WorkerExecutor worker, TransferConfig config) {
        super(vertx, shipment.key(), shipment.command(), shipment.epoch(), Direction.SEND, shipment.listener(),
                config.progressEveryBytes());
        this.shipment = shipment;
        this.worker = worker;
        this.poll = config.pollInterval();
        this.chunk = new byte[Wire.HEAD_BYTES + config.chunkBytes()];
    }

    void start(NetClient client, Endpoint to) {
        client.connect(to.port(), to.host()).onComplete(ar -> {
            if (ar.failed()) {
                fail("cannot connect to the destination at " + to + ": " + ar.cause().getMessage());
                return;
            }
            NetSocket s = ar.result();
            attach(Vertx.currentContext(), s);
            if (isEnded()) {
                s.close();
                return;
            }
            FrameReader reader = new FrameReader(s, this::onFrame,
                    violation -> failHere("the destination broke the protocol: " + violation, true));
            s.closeHandler(v -> failHere("the connection to the destination closed " + where()
                    + (lastError == null ? "" : " (" + lastError + ")"), false));
            s.exceptionHandler(e -> {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.debug("transfer {}: connection error {}", key(), e.toString());
            });
            // Room for the chunk being sent and the next one, so the device read overlaps the send.
            s.setWriteQueueMaxSize(2 * (chunk.length));
            reader.start();
            phase = Phase.AWAITING_ACCEPT;
            s.write(Wire.frame(FrameType.HELLO, shipment.hello().encode()));
        });
    }

    private String where() {
        return "while " + phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", after " + bytes()
                + " bytes";
    }

    private void onFrame(Frame f) {
        if (isEnded()) {
            return;
        }
        try {
            switch (f.type()) {
                case ACCEPT:
                    expect(Phase.AWAITING_ACCEPT, f);
                    phase = Phase.STREAMING;
                    pump();
                    break;
                case REJECT:
                    failHere("the destination rejected the stream: " + Wire.text(f.payload()), false);
                    break;
                case ABORT:
                    failHere("the destination aborted " + where() + ": " + Wire.text(f.payload()), false);
                    break;
                case RECEIVED:
                    expect(Phase.AWAITING_VERDICT, f);
                    verdict(Digest.decode(f.payload()));
                    break;
                case HELLO:
                case DATA:
                case TRAILER:
                    throw new ProtocolViolation("a " + f.type() + " frame, which only a source sends");
            }
        } catch (ProtocolViolation e) {
            failHere("the destination broke the protocol: " + e.getMessage(), true);
        }
    }

    private void expect(Phase due, Frame f) {
        if (phase != due) {
            throw new ProtocolViolation("a " + f.type() + " frame " + where());
        }
    }

    /** Reads the next chunk once the socket has room for it. */
    private void pump() {
        if (isEnded()) {
            return;
        }
        NetSocket s = socket();
        if (s.writeQueueFull()) {
            s.drainHandler(v -> {
                s.drainHandler(null);
                pump();
            });
            return;
        }
        worker.executeBlocking(this::readChunk, false).onComplete(ar -> {
            if (isEnded()) {
                return;
            }
            if (ar.failed()) {
                failHere("reading the saving session threw " + ar.cause(), true);
                return;
            }
            send(ar.result());
        });
    }

    /** On a worker: fills the chunk until it is full or the session pauses or ends; polls a paused one. */
    private Chunk readChunk() {
        SavingSession session = shipment.session();
        ByteBuffer dst = ByteBuffer.wrap(chunk, Wire.HEAD_BYTES, chunk.length - Wire.HEAD_BYTES);
        ReadResult end = null;
        while (dst.hasRemaining() && !isEnded()) {
            ReadResult r = session.read(dst);
            if (r.kind() != ReadResult.Kind.BYTES) {
                end = r;
                break;
            }
        }
        int count = dst.position() - Wire.HEAD_BYTES;
        if (count == 0 && end != null && end.kind() == ReadResult.Kind.NO_DATA_NOW) {
            Outcome<Boolean> readable = session.awaitReadable(poll);
            if (readable.kind() == Outcome.Kind.FAILED) {
                Outcome.Failed<Boolean> f = readable.failure().orElseThrow();
                end = new ReadResult.Failed(f.errno(), "polling the pre-copy session: " + f.detail());
            }
        }
        return new Chunk(count, end);
    }

    private void send(Chunk c) {
        if (c.count() > 0) {
            socket().write(Wire.data(chunk, c.count()));
            moved(c.count());
        }
        if (c.end() == null) {
            pump();
            return;
        }
        switch (c.end().kind()) {
            case BYTES:
            case NO_DATA_NOW:
                pump();
                break;
            case END_OF_STREAM:
                trailer();
                break;
            case FAILED:
                failHere("reading the saving session failed after " + bytes() + " bytes: " + c.end(), true);
                break;
        }
    }

    private void trailer() {
        SavingSession session = shipment.session();
        if (session.bytesMoved() != bytes()) {
            failHere("the saving session gave " + session.bytesMoved() + " bytes but " + bytes()
                    + " were sent: something else read it", true);
            return;
        }
        sent = new Digest(bytes(), session.sha256());
        phase = Phase.AWAITING_VERDICT;
        socket().write(Wire.frame(FrameType.TRAILER, sent.encode()));
    }

    private void verdict(Digest received) {
        if (!received.equals(sent)) {
            failHere("the destination confirmed " + received + " but " + sent + " was sent", true);
            return;
        }
        if (settle(new TransferOutcome.Completed(Direction.SEND, sent.bytes(), sent.sha256()))) {
            socket().close();
        }
    }
}
