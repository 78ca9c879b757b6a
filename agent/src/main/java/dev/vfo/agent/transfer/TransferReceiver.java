package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination agent's side of data transfer: a TCP server (mutual TLS when configured) that
 * takes a stream only if an AcceptDataTransfer registered it ({@link #expect}) for that migration,
 * source device, destination device, hosts and coordinator epoch; anything else is turned away
 * with a reason before a byte reaches a device. A stream whose HELLO comes before its expectation
 * waits for it up to the handshake timeout (the two agents' commands travel apart). Accepted bytes
 * go into the expected resuming session as they arrive; the transfer completes only when the
 * trailer's length and SHA-256 match what was written, and fails on a mismatch, a cut connection,
 * the deadline, or an abort.
 */
public final class TransferReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferReceiver.class);

    private final Vertx vertx;
    private final TransferConfig config;
    private final Clock clock;
    private final Consumer<Rejection> rejections;
    private final NetServer server;
    private final WorkerExecutor worker;
    private final Flights<Receiving> flights = new Flights<>();
    /** Connections whose HELLO came before the expectation it names, by slot. */
    private final Map<String, Set<Inbound>> waiting = new ConcurrentHashMap<>();

    private TransferReceiver(Vertx vertx, TransferConfig config, Clock clock, Consumer<Rejection> rejections) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.rejections = rejections;
        NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
        options.setTcpKeepAlive(true);
        config.tls().ifPresent(t -> t.applyTo(options));
        this.server = vertx.createNetServer(options).connectHandler(this::connected);
        this.worker = vertx.createSharedWorkerExecutor(TransferSender.WORKER_POOL, config.workerThreads(), 60,
                TimeUnit.SECONDS);
    }

    /** Listens on the configured host and port; {@code rejections} hears every stream turned away. */
    public static Future<TransferReceiver> start(Vertx vertx, TransferConfig config, Clock clock,
            Consumer<Rejection> rejections) {
        TransferReceiver r = new TransferReceiver(Objects.requireNonNull(vertx, "vertx"),
                Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(rejections, "rejections"));
        return r.server.listen(config.port(), config.host()).map(s -> r);
    }

    /** Where senders reach this receiver (the port the server really got). */
    public Endpoint endpoint() {
        return new Endpoint(config.host(), server.actualPort());
    }

    /**
     * Registers a transfer to receive into {@code expectation.session()}, which must be open and
     * unwritten (the device already in RESUMING). The returned transfer ends with the outcome; it
     * fails at once if the session was written already or a newer command holds the device. The
     * same command again (redelivered) gets the transfer already registered.
     */
    public Transfer expect(Expectation expectation) {
        Objects.requireNonNull(expectation, "expectation");
        Receiving flow = new Receiving(vertx, expectation, worker, config);
        Optional<String> unfit = expectation.session().bytesMoved() == 0 ? Optional.empty()
                : Optional.of("the resuming session already took " + expectation.session().bytesMoved()
                        + " bytes; a stream must start on an unwritten session");
        String slot = Flights.slot(expectation.migration(), expectation.destinationDevice());
        Receiving admitted = flights.enter(slot, flow, unfit, expectation.deadline(), clock);
        if (admitted == flow && !flow.isEnded()) {
            for (Inbound in : waiting.getOrDefault(slot, Set.of())) {
                in.home.runOnContext(v -> in.expectationArrived());
            }
        }
        return admitted;
    }

    /** How many connections wait for an expectation their HELLO names. */
    int waitingStreams() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Aborts every transfer of {@code migration} expected or in flight here; how many there were. */
    public int abort(MigrationId migration, String reason) {
        return flights.abort(migration, reason);
    }

    public List<Transfer> inFlight() {
        return List.copyOf(flights.all());
    }

    /** Fails what is expected or in flight and stops listening; completes when closed. */
    public Future<Void> shutdown() {
        flights.all().forEach(f -> f.fail("the destination agent's transfer receiver is shutting down"));
        return server.close().eventually(() -> worker.close());
    }

    @Override
    public void close() {
        shutdown();
    }

    private void connected(NetSocket socket) {
        new Inbound(socket, Vertx.currentContext()).start();
    }

    /** One connection: turned away, or bound to the expected transfer its HELLO names. */
    private final class Inbound {
        private final NetSocket socket;
        private final Context home;
        private final FrameReader reader;
        private final String remote;
        private Receiving flow;
        private boolean turnedAway;
        private Hello hello;
        private String slot;
        /** Waits for the HELLO, then (if nobody expects the stream yet) for its expectation. */
        private long timer = -1;

        Inbound(NetSocket socket, Context home) {
            this.socket = socket;
            this.home = home;
            this.reader = new FrameReader(socket, this::onFrame, this::violation);
            this.remote = String.valueOf(socket.remoteAddress());
        }

        void start() {
            socket.closeHandler(v -> closed());
            socket.exceptionHandler(e -> LOG.debug("transfer connection from {}: {}", remote, e.toString()));
            timer = vertx.setTimer(Math.max(1, config.handshakeTimeout().toMillis()), id -> {
                if (flow == null && !turnedAway) {
                    turnAway("-", "no HELLO within " + config.handshakeTimeout());
                }
            });
            reader.start();
        }

        private void onFrame(Frame f) {
            try {
                if (flow != null) {
                    flow.onFrame(f, reader);
                } else if (hello != null) {
                    turnAway(hello.toString(), "a " + f.type() + " frame before the stream was accepted");
                } else if (f.type() != FrameType.HELLO) {
                    turnAway("-", "the first frame is " + f.type() + ", not HELLO");
                } else {
                    hello(Hello.decode(f.payload()));
                }
            } catch (ProtocolViolation e) {
                violation(e.getMessage());
            }
        }

        private void violation(String message) {
            reader.stop();
            if (flow == null) {
                turnAway("-", message);
            } else {
                flow.failHere("the source broke the protocol: " + message, true);
            }
        }

        private void hello(Hello h) {
            vertx.cancelTimer(timer);
            hello = h;
            slot = Flights.slot(h.migration(), h.destinationDevice());
            if (match()) {
                return;
            }
            // The source's StartDataTransfer may overtake the destination's AcceptDataTransfer (two
            // agents, two partitions): the stream waits for its expectation, as long as a HELLO may.
            waiting.compute(slot, (k, parked) -> {
                Set<Inbound> all = parked == null ? ConcurrentHashMap.newKeySet() : parked;
                all.add(this);
                return all;
            });
            timer = vertx.setTimer(Math.max(1, config.handshakeTimeout().toMillis()), id -> {
                unpark();
                if (flow == null && !turnedAway) {
                    turnAway(h.toString(), "no transfer of migration " + h.migration() + " into device "
                            + h.destinationDevice() + " is expected on this host (waited "
                            + config.handshakeTimeout() + ")");
                }
            });
            if (flights.get(slot).isPresent()) {
                expectationArrived();
            }
        }

        /** On this connection's context: an expectation for the slot was registered. */
        void expectationArrived() {
            if (flow == null && !turnedAway && match()) {
                vertx.cancelTimer(timer);
                unpark();
            }
        }

        private void unpark() {
            waiting.computeIfPresent(slot, (k, parked) -> {
                parked.remove(this);
                return parked.isEmpty() ? null : parked;
            });
        }

        /** Accepts or turns away the stream if an expectation holds its slot; false if none does yet. */
        private boolean match() {
            Optional<Receiving> expected = flights.get(slot);
            if (expected.isEmpty()) {
                return false;
            }
            Optional<String> mismatch = expected.get().mismatch(hello);
            if (mismatch.isPresent()) {
                turnAway(hello.toString(), mismatch.get());
            } else if (!expected.get().claim(home, socket)) {
                turnAway(hello.toString(), "the transfer into " + hello.destinationDevice()
                        + " is already being received or has ended");
            } else {
                flow = expected.get();
                socket.write(Wire.frame(FrameType.ACCEPT, new byte[0]));
            }
            return true;
        }

        private void turnAway(String stream, String reason) {
            turnedAway = true;
            reader.stop();
            LOG.warn("turned away a transfer stream from {} ({}): {}", remote, stream, reason);
            rejections.accept(new Rejection(remote, stream, reason));
            socket.write(Wire.text(FrameType.REJECT, reason)).onComplete(ar -> socket.close());
        }

        private void closed() {
            vertx.cancelTimer(timer);
            if (slot != null) {
                unpark();
            }
            if (flow != null) {
                flow.failHere("the connection from the source closed after " + flow.bytes()
                        + " bytes, before the trailer", false);
            }
        }
    }
}
