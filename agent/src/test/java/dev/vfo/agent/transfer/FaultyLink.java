package dev.vfo.agent.transfer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP relay between a sender and a receiver that damages the source-to-destination
 * direction at one stream offset: flips a bit there, or cuts both connections there. The other
 * direction passes untouched. Test-only: the faults the network can do to a transfer.
 */
final class FaultyLink {
    enum Fault {
        FLIP_BIT,
        CUT
    }

    private final NetServer server;
    private final NetClient client;
    private final Endpoint target;
    private final Fault fault;
    private final long offset;
    final AtomicBoolean struck = new AtomicBoolean();

    private FaultyLink(Vertx vertx, Endpoint target, Fault fault, long offset) {
        this.client = vertx.createNetClient();
        this.target = target;
        this.fault = fault;
        this.offset = offset;
        this.server = vertx.createNetServer().connectHandler(this::relay);
    }

    static FaultyLink start(Vertx vertx, Endpoint target, Fault fault, long offset) {
        FaultyLink link = new FaultyLink(vertx, target, fault, offset);
        TransferFixture.join(link.server.listen(0, "127.0.0.1"));
        return link;
    }

    String endpoint() {
        return "127.0.0.1:" + server.actualPort();
    }

    Future<Void> close() {
        return server.close().eventually(client::close);
    }

    private void relay(NetSocket in) {
        in.pause();
        client.connect(target.port(), target.host()).onComplete(ar -> {
            if (ar.failed()) {
                in.close();
                return;
            }
            NetSocket out = ar.result();
            in.closeHandler(v -> out.close());
            out.closeHandler(v -> in.close());
            forward(out, in, false);
            forward(in, out, true);
            in.resume();
        });
    }

    private void forward(NetSocket from, NetSocket to, boolean damage) {
        long[] seen = {0};
        from.handler(b -> {
            Buffer buf = b;
            long start = seen[0];
            seen[0] += buf.length();
            if (damage && offset >= start && offset < seen[0] && struck.compareAndSet(false, true)) {
                int at = (int) (offset - start);
                if (fault == Fault.CUT) {
                    to.write(buf.getBuffer(0, at)).onComplete(x -> {
                        from.close();
                        to.close();
                    });
                    return;
                }
                buf = buf.copy();
                buf.setByte(at, (byte) (buf.getByte(at) ^ 0x10));
            }
            if (struck.get() && damage && fault == Fault.CUT) {
                return;
            }
            to.write(buf);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> {
                    to.drainHandler(null);
                    from.resume();
                });
            }
        });
    }
}
