package dev.vfo.agent.transfer;

import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.ResumingSession;
import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.vfio.Errno;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The destination side of one expected transfer: claimed by the one connection whose HELLO
 * matches, it writes each DATA frame into the resuming session (the socket paused meanwhile, on a
 * worker thread) and, at the trailer, compares the declared length and SHA-256 with what the
 * session took. Only a match completes it; it never moves the device (RESUMING&gt;STOP, the commit,
 * is the agent loop's, after the coordinator saw both sides complete).
 */
final class Receiving extends Flow {
    private final Expectation expected;
    private final WorkerExecutor worker;
    private boolean claimed;

    Receiving(Vertx vertx, Expectation expected, WorkerExecutor worker, TransferConfig config) {
        super(vertx, expected.key(), expected.command(), expected.epoch(), Direction.RECEIVE, expected.listener(),
                config.progressEveryBytes());
        this.expected = expected;
        this.worker = worker;
    }

    /** Why a stream announcing {@code hello} is not the one expected here, if it is not. */
    Optional<String> mismatch(Hello hello) {
        if (hello.epoch() != expected.epoch()) {
            return Optional.of("the stream is of coordinator epoch " + hello.epoch() + ", device "
                    + expected.destinationDevice() + " expects epoch " + expected.epoch() + " (command "
                    + expected.command() + ")");
        }
        if (!hello.sourceDevice().equals(expected.sourceDevice())
                || !hello.sourceHost().equals(expected.sourceHost())) {
            return Optional.of("the stream is from " + hello.sourceHost() + "/" + hello.sourceDevice() + ", device "
                    + expected.destinationDevice() + " expects " + expected.sourceHost() + "/"
                    + expected.sourceDevice());
        }
        if (!hello.destinationHost().equals(expected.destinationHost())) {
            return Optional.of("the stream is for host " + hello.destinationHost() + ", this is host "
                    + expected.destinationHost());
        }
        return Optional.empty();
    }

    /** Binds the one connection that may feed this transfer; false if another did or it ended. */
    synchronized boolean claim(Context home, NetSocket s) {
        if (claimed || isEnded()) {
            return false;
        }
        claimed = true;
        attach(home, s);
        return !isEnded();
    }

    /** On the connection's context: acts on a frame after the HELLO. */
    void onFrame(Frame f, FrameReader reader) {
        if (isEnded()) {
            reader.stop();
            return;
        }
        switch (f.type()) {
            case DATA:
                reader.hold();
                int length = f.payload().length;
                write(f.payload()).onComplete(ar -> {
                    if (isEnded()) {
                        return;
                    }
                    if (ar.failed()) {
                        failHere("writing into the resuming session threw " + ar.cause(), true);
                    } else if (ar.result().kind() == Outcome.Kind.FAILED) {
                        failHere("writing into the resuming session of " + expected.destinationDevice()
                                + " failed after " + bytes() + " bytes: " + ar.result().describe(), true);
                    } else {
                        moved(length);
                        reader.release();
                    }
                });
                break;
            case TRAILER:
                reader.stop();
                trailer(Digest.decode(f.payload()));
                break;
            case ABORT:
                reader.stop();
                failHere("the source aborted after " + bytes() + " bytes: " + Wire.text(f.payload()), false);
                break;
            case HELLO:
                throw new ProtocolViolation("a second HELLO");
            case ACCEPT:
            case REJECT:
            case RECEIVED:
                throw new ProtocolViolation("a " + f.type() + " frame, which only a destination sends");
        }
    }

    /** On a worker: the whole payload into the session, or the device's refusal. */
    private Future<Outcome<Integer>> write(byte[] payload) {
        ResumingSession session = expected.session();
        return worker.executeBlocking(() -> {
            ByteBuffer src = ByteBuffer.wrap(payload);
            while (src.hasRemaining()) {
                Outcome<Integer> w = session.write(src);
                if (w.kind() == Outcome.Kind.FAILED) {
                    return w;
                }
                if (w.ok().orElseThrow() == 0) {
                    return Outcome.failed(Errno.EIO, "the device took none of " + src.remaining() + " bytes");
                }
            }
            return Outcome.done(payload.length);
        }, false);
    }

    private void trailer(Digest declared) {
        ResumingSession session = expected.session();
        Digest written = new Digest(session.bytesMoved(), session.sha256());
        if (written.bytes() != bytes()) {
            failHere("the resuming session counts " + written.bytes() + " bytes but " + bytes()
                    + " were written by this transfer", true);
        } else if (declared.bytes() != written.bytes()) {
            failHere("length mismatch: the source declared " + declared + ", the destination wrote " + written, true);
        } else if (!declared.sha256().equals(written.sha256())) {
            failHere("SHA-256 mismatch: the source declared " + declared + ", the destination wrote " + written, true);
        } else if (settle(new TransferOutcome.Completed(Direction.RECEIVE, written.bytes(), written.sha256()))) {
            finishWith(Wire.frame(FrameType.RECEIVED, written.encode()));
        }
    }
}
