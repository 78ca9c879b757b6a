package dev.vfo.agent.loop;

import dev.vfo.agent.transfer.Endpoint;
import dev.vfo.agent.transfer.Expectation;
import dev.vfo.agent.transfer.Rejection;
import dev.vfo.agent.transfer.Shipment;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.agent.transfer.TransferConfig;
import dev.vfo.agent.transfer.TransferReceiver;
import dev.vfo.agent.transfer.TransferSender;
import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transfer component on its own Vert.x: this agent's receiver (listening) and sender. */
public final class VertxTransfers implements TransferPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VertxTransfers.class);
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final TransferReceiver receiver;
    private final TransferSender sender;

    private VertxTransfers(Vertx vertx, TransferReceiver receiver, TransferSender sender) {
        this.vertx = vertx;
        this.receiver = receiver;
        this.sender = sender;
    }

    /** Starts listening on the configured address; throws if it cannot. */
    public static VertxTransfers start(TransferConfig config, Clock clock) {
        Vertx vertx = Vertx.vertx();
        try {
            TransferReceiver receiver = receiver(vertx, config, clock);
            return new VertxTransfers(vertx, receiver, new TransferSender(vertx, config, clock));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static TransferReceiver receiver(Vertx vertx, TransferConfig config, Clock clock) {
        try {
            return TransferReceiver.start(vertx, config, clock, (Rejection r) -> LOG.warn("turned a stream away: {}", r))
                    .toCompletionStage().toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the transfer receiver", e);
        } catch (Exception e) {
            throw new IllegalStateException("the transfer receiver cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e, e);
        }
    }

    public Endpoint endpoint() {
        return receiver.endpoint();
    }

    @Override
    public Transfer send(Shipment shipment) {
        return sender.send(shipment);
    }

    @Override
    public Transfer expect(Expectation expectation) {
        return receiver.expect(expectation);
    }

    @Override
    public int abort(MigrationId migration, String reason) {
        return sender.abort(migration, reason) + receiver.abort(migration, reason);
    }

    @Override
    public List<Transfer> inFlight() {
        List<Transfer> all = new ArrayList<>(sender.inFlight());
        all.addAll(receiver.inFlight());
        return all;
    }

    @Override
    public void close() {
        try {
            sender.shutdown().eventually(receiver::shutdown).eventually(vertx::close).toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("the transfer component did not close cleanly: {}", e.toString());
        }
    }
}
