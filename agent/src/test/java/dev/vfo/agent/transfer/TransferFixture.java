package dev.vfo.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.Walk;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.agent.device.sim.Sleeper;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two agents on loopback for transfer tests: a receiver and a sender on one real Vert.x, simulated
 * devices driven through real arcs, and the coordinator's two commands for one device pair.
 */
final class TransferFixture implements AutoCloseable {
    static final Clock CLOCK = Clock.systemUTC();
    static final HostId SOURCE_HOST = new HostId("host-a");
    static final HostId DESTINATION_HOST = new HostId("host-b");
    static final DeviceId SOURCE_DEVICE = new DeviceId("host-a/0000:17:00.0");
    static final DeviceId DESTINATION_DEVICE = new DeviceId("host-b/0000:65:00.0");
    static final VmId VM = new VmId("vm-1");

    final Vertx vertx;
    final TransferReceiver receiver;
    final TransferSender sender;
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    final List<TransferProgress> progress = new CopyOnWriteArrayList<>();

    TransferFixture(TransferConfig receiverConfig, TransferConfig senderConfig) {
        this.vertx = Vertx.vertx();
        this.receiver = join(TransferReceiver.start(vertx, receiverConfig, CLOCK, rejections::add));
        this.sender = new TransferSender(vertx, senderConfig, CLOCK);
    }

    TransferFixture(TransferConfig config) {
        this(config, config);
    }

    /** Loopback, an ephemeral port, small chunks, a short poll and handshake so tests stay quick. */
    static TransferConfig config() {
        return TransferConfig.defaults().withPort(0).withChunkBytes(256 << 10).withPollInterval(Duration.ofMillis(20))
                .withProgressEveryBytes(1 << 20).withHandshakeTimeout(Duration.ofSeconds(1));
    }

    static <T> T join(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the Vert.x operation did not complete", e);
        }
    }

    static DeviceStepper device(SimulatedDeviceSpec spec) {
        return new DeviceStepper(new SimulatedDevice(spec, CLOCK, Sleeper.REAL), CLOCK);
    }

    static SimulatedDevice simulated(DeviceStepper stepper) {
        return (SimulatedDevice) stepper.device();
    }

    static void walk(DeviceStepper stepper, MigrationState target) {
        Walk w = stepper.walk(target);
        assertThat(w.kind()).as("walk to %s: %s", target, w).isEqualTo(Walk.Kind.REACHED);
    }

    static AgentCommand.StartDataTransfer start(String migration, long epoch, String endpoint, Duration within) {
        return new AgentCommand.StartDataTransfer(new CommandId("start-" + migration + "-e" + epoch),
                new MigrationId(migration), epoch,
                SOURCE_HOST, VM, Instant.now().plus(within), SOURCE_DEVICE, DESTINATION_HOST, DESTINATION_DEVICE,
                endpoint);
    }

    static AgentCommand.AcceptDataTransfer accept(String migration, long epoch, Duration within) {
        return new AgentCommand.AcceptDataTransfer(new CommandId("accept-" + migration + "-e" + epoch),
                new MigrationId(migration),
                epoch, DESTINATION_HOST, VM, Instant.now().plus(within), DESTINATION_DEVICE, SOURCE_HOST,
                SOURCE_DEVICE);
    }

    Transfer expect(AgentCommand.AcceptDataTransfer c, DeviceStepper destination) {
        return receiver.expect(Expectation.of(c, destination.resumingSession().orElseThrow(), progress::add));
    }

    Transfer send(AgentCommand.StartDataTransfer c, DeviceStepper source) {
        return sender.send(Shipment.of(c, source.savingSession().orElseThrow(), progress::add));
    }

    String endpoint() {
        return receiver.endpoint().toString();
    }

    static TransferOutcome awaitEnd(Transfer t, Duration within) {
        await().atMost(within).until(() -> t.ended().isPresent());
        return t.ended().orElseThrow();
    }

    static TransferOutcome awaitEnd(Transfer t) {
        return awaitEnd(t, Duration.ofSeconds(60));
    }

    static TransferOutcome.Completed completed(TransferOutcome o) {
        assertThat(o.kind()).as("outcome %s", o).isEqualTo(TransferOutcome.Kind.COMPLETED);
        return (TransferOutcome.Completed) o;
    }

    static TransferOutcome.Failed failed(TransferOutcome o) {
        assertThat(o.kind()).as("outcome %s", o).isEqualTo(TransferOutcome.Kind.FAILED);
        return (TransferOutcome.Failed) o;
    }

    @Override
    public void close() {
        join(sender.shutdown());
        join(receiver.shutdown());
        join(vertx.close());
    }
}
