package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The source agent's side of data transfer: streams a device's saving session straight to the
 * destination agent's {@link TransferReceiver} (over mutual TLS when configured) and reports the
 * bytes and SHA-256 it sent. A transfer succeeds only when the destination confirms exactly that
 * length and digest; a refused, cut, timed-out or aborted stream is a {@link TransferOutcome.Failed}.
 * The sender never changes a device's state: moving the device (PRE_COPY&gt;...&gt;STOP_COPY while it
 * streams, STOP_COPY&gt;STOP after) stays with the agent's command loop.
 */
public final class TransferSender implements AutoCloseable {
    static final String WORKER_POOL = "vfo-transfer";

    private final Vertx vertx;
    private final TransferConfig config;
    private final Clock clock;
    private final NetClient client;
    private final WorkerExecutor worker;
    private final Flights<Sending> flights = new Flights<>();

    public TransferSender(Vertx vertx, TransferConfig config, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setTcpNoDelay(true);
        options.setTcpKeepAlive(true);
        config.tls().ifPresent(t -> t.applyTo(options));
        this.client = vertx.createNetClient(options);
        this.worker = vertx.createSharedWorkerExecutor(WORKER_POOL, config.workerThreads(), 60, TimeUnit.SECONDS);
    }

    /**
     * Starts streaming {@code shipment}; the returned transfer ends with the outcome. Problems found
     * before connecting (a bad endpoint, a session already read, an older epoch than the transfer in
     * flight for the device) end it at once with the reason. The same command again (redelivered)
     * gets the transfer already in flight.
     */
    public Transfer send(Shipment shipment) {
        Objects.requireNonNull(shipment, "shipment");
        Sending flow = new Sending(vertx, shipment, worker, config);
        Endpoint to = null;
        Optional<String> unfit = Optional.empty();
        try {
            to = Endpoint.parse(shipment.destinationEndpoint());
        } catch (IllegalArgumentException e) {
            unfit = Optional.of("the destination endpoint is unusable: " + e.getMessage());
        }
        if (shipment.session().bytesMoved() != 0) {
            unfit = Optional.of("the saving session already gave " + shipment.session().bytesMoved()
                    + " bytes to another reader; the stream would be incomplete");
        }
        Sending admitted = flights.enter(Flights.slot(shipment.migration(), shipment.sourceDevice()), flow, unfit,
                shipment.deadline(), clock);
        if (admitted == flow && !flow.isEnded()) {
            flow.start(client, to);
        }
        return admitted;
    }

    /** Aborts every transfer of {@code migration} this sender has in flight; how many there were. */
    public int abort(MigrationId migration, String reason) {
        return flights.abort(migration, reason);
    }

    public List<Transfer> inFlight() {
        return List.copyOf(flights.all());
    }

    /** Fails what is in flight and releases the client; completes when it is closed. */
    public Future<Void> shutdown() {
        flights.all().forEach(f -> f.fail("the source agent's transfer sender is shutting down"));
        return client.close().eventually(() -> worker.close());
    }

    @Override
    public void close() {
        shutdown();
    }
}
