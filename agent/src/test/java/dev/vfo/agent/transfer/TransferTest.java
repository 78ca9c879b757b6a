package dev.vfo.agent.transfer;

import static dev.vfo.agent.transfer.TransferFixture.accept;
import static dev.vfo.agent.transfer.TransferFixture.awaitEnd;
import static dev.vfo.agent.transfer.TransferFixture.completed;
import static dev.vfo.agent.transfer.TransferFixture.device;
import static dev.vfo.agent.transfer.TransferFixture.failed;
import static dev.vfo.agent.transfer.TransferFixture.simulated;
import static dev.vfo.agent.transfer.TransferFixture.start;
import static dev.vfo.agent.transfer.TransferFixture.walk;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.SavingSession;
import dev.vfo.agent.device.sim.ContentIdentity;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransferTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final ContentIdentity CONTENT = new ContentIdentity("host-a/0000:17:00.0", 42, 3);

    private final TransferFixture agents = new TransferFixture(TransferFixture.config());
    private final DeviceStepper source = device(SimulatedDeviceSpec.of("src").withContent(CONTENT)
            .withSizes(3 << 20, 100_000).withChunk(64 << 10));
    private final DeviceStepper destination = device(SimulatedDeviceSpec.of("dst"));

    @AfterEach
    void stop() {
        agents.close();
    }

    /** The commit a destination agent would do after the coordinator saw both sides complete. */
    private void assertCommitTakesOn(ContentIdentity content) {
        walk(destination, RUNNING);
        assertThat(simulated(destination).content()).isEqualTo(content);
    }

    private void assertNeverCommitted() {
        assertThat(simulated(destination).state().ok()).as("the destination is left in RESUMING").contains(RESUMING);
        assertThat(simulated(destination).lastResumed()).isEmpty();
    }

    @Test
    void a_stop_copy_stream_arrives_whole_and_the_destination_commits_it() {
        walk(source, STOP_COPY);
        walk(destination, RESUMING);
        Transfer in = agents.expect(accept("m-1", 7, MINUTE), destination);
        Transfer out = agents.send(start("m-1", 7, agents.endpoint(), MINUTE), source);

        TransferOutcome.Completed sent = completed(awaitEnd(out));
        TransferOutcome.Completed received = completed(awaitEnd(in));
        SavingSession saving = source.savingSession().orElseThrow();
        assertThat(sent.direction()).isEqualTo(Direction.SEND);
        assertThat(received.direction()).isEqualTo(Direction.RECEIVE);
        assertThat(sent.bytes()).isEqualTo(received.bytes()).isEqualTo(saving.bytesMoved()).isGreaterThan(3 << 20);
        assertThat(sent.sha256()).isEqualTo(received.sha256()).isEqualTo(saving.sha256());
        assertThat(agents.progress).anySatisfy(p -> assertThat(p.direction()).isEqualTo(Direction.RECEIVE))
                .anySatisfy(p -> assertThat(p.direction()).isEqualTo(Direction.SEND));
        assertThat(agents.sender.inFlight()).isEmpty();
        assertThat(agents.receiver.inFlight()).isEmpty();
        assertCommitTakesOn(CONTENT);
    }

    @Test
    void a_transfer_started_in_pre_copy_carries_dirty_data_and_ends_after_the_switch_to_stop_copy() {
        DeviceStepper running = device(SimulatedDeviceSpec.of("src").withContent(CONTENT).withSizes(2 << 20, 50_000)
                .withChunk(32 << 10).withDirtyRate(4 << 20));
        walk(running, PRE_COPY);
        walk(destination, RESUMING);
        long initial = running.savingSession().orElseThrow().preCopyInfo().ok().orElseThrow().initialBytes();
        Transfer in = agents.expect(accept("m-pre", 1, MINUTE), destination);
        Transfer out = agents.send(start("m-pre", 1, agents.endpoint(), MINUTE), running);

        await().atMost(MINUTE).until(() -> in.bytes() > initial + (256 << 10));
        assertThat(out.ended()).as("a pre-copy stream does not end while the device runs").isEmpty();
        assertThat(in.ended()).isEmpty();

        walk(running, STOP_COPY);
        TransferOutcome.Completed sent = completed(awaitEnd(out));
        TransferOutcome.Completed received = completed(awaitEnd(in));
        assertThat(received.sha256()).isEqualTo(sent.sha256());
        assertThat(received.bytes()).isEqualTo(sent.bytes());
        assertCommitTakesOn(CONTENT);
        assertThat(simulated(destination).lastResumed().orElseThrow().dataBytes())
                .as("initial, dirty and residue data").isGreaterThan((2 << 20) + 50_000 + (256 << 10) - 100_000);
    }

    @Test
    void a_connection_cut_mid_stream_fails_both_sides_and_nothing_is_committed() {
        walk(source, STOP_COPY);
        walk(destination, RESUMING);
        FaultyLink link = FaultyLink.start(agents.vertx, agents.receiver.endpoint(), FaultyLink.Fault.CUT, 1 << 20);
        Transfer in = agents.expect(accept("m-cut", 1, MINUTE), destination);
        Transfer out = agents.send(start("m-cut", 1, link.endpoint(), MINUTE), source);

        TransferOutcome.Failed receiving = failed(awaitEnd(in));
        TransferOutcome.Failed sending = failed(awaitEnd(out));
        assertThat(receiving.reason()).contains("closed").contains("before the trailer");
        assertThat(sending.reason()).contains("closed");
        assertThat(receiving.bytes()).isLessThan(1 << 20);
        assertNeverCommitted();
        TransferFixture.join(link.close());
    }

    @Test
    void a_byte_corrupted_in_flight_is_a_SHA_256_mismatch_on_both_sides() {
        walk(source, STOP_COPY);
        walk(destination, RESUMING);
        var c = start("m-flip", 1, "127.0.0.1:1", MINUTE);
        Hello hello = Shipment.of(c, source.savingSession().orElseThrow(), TransferListener.NONE).hello();
        long intoFirstData = Wire.frame(FrameType.HELLO, hello.encode()).length() + Wire.HEAD_BYTES + 1_000;
        FaultyLink link = FaultyLink.start(agents.vertx, agents.receiver.endpoint(), FaultyLink.Fault.FLIP_BIT,
                intoFirstData);
        Transfer in = agents.expect(accept("m-flip", 1, MINUTE), destination);
        Transfer out = agents.send(start("m-flip", 1, link.endpoint(), MINUTE), source);

        TransferOutcome.Failed receiving = failed(awaitEnd(in));
        TransferOutcome.Failed sending = failed(awaitEnd(out));
        assertThat(link.struck).isTrue();
        assertThat(receiving.reason()).startsWith("SHA-256 mismatch");
        assertThat(sending.reason()).contains("the destination aborted").contains("SHA-256 mismatch");
        assertNeverCommitted();
        TransferFixture.join(link.close());
    }

    @Test
    void a_stream_nobody_expects_is_rejected_with_the_reason_and_the_wrong_epoch_too() {
        walk(source, STOP_COPY);
        walk(destination, RESUMING);
        TransferOutcome.Failed unexpected =
                failed(awaitEnd(agents.send(start("m-x", 3, agents.endpoint(), MINUTE), source)));
        assertThat(unexpected.reason()).contains("rejected")
                .contains("no transfer of migration m-x into device host-b/0000:65:00.0 is expected on this host")
                .contains("(waited PT1S)");

        Transfer in = agents.expect(accept("m-x", 3, MINUTE), destination);
        TransferOutcome.Failed stale =
                failed(awaitEnd(agents.send(start("m-x", 2, agents.endpoint(), MINUTE), source)));
        assertThat(stale.reason()).contains("rejected").contains("epoch 2").contains("expects epoch 3");
        assertThat(agents.rejections).hasSize(2);
        assertThat(agents.rejections.get(1).stream()).contains("m-x").contains("epoch 2");
        assertThat(in.ended()).as("a rejected stream leaves the expectation waiting").isEmpty();

        Transfer out = agents.send(start("m-x", 3, agents.endpoint(), MINUTE), source);
        assertThat(completed(awaitEnd(out)).sha256()).isEqualTo(completed(awaitEnd(in)).sha256());
        assertCommitTakesOn(CONTENT);
    }

    /** A pre-copying device with no dirtying: its stream pauses after the initial data and never ends by itself. */
    private DeviceStepper preCopying() {
        DeviceStepper d = device(SimulatedDeviceSpec.of("src").withContent(CONTENT).withSizes(1 << 20, 1_000));
        walk(d, PRE_COPY);
        walk(destination, RESUMING);
        return d;
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void aborting_either_side_fails_both_sides(Direction aborting) {
        DeviceStepper running = preCopying();
        Transfer in = agents.expect(accept("m-abort", 1, MINUTE), destination);
        Transfer out = agents.send(start("m-abort", 1, agents.endpoint(), MINUTE), running);
        await().atMost(MINUTE).until(() -> in.bytes() >= 1 << 20);

        MigrationId migration = new MigrationId("m-abort");
        boolean source = aborting == Direction.SEND;
        int aborted = source ? agents.sender.abort(migration, "AbortMigration")
                : agents.receiver.abort(migration, "AbortMigration");
        assertThat(aborted).isEqualTo(1);
        Transfer here = source ? out : in;
        Transfer peer = source ? in : out;
        assertThat(failed(awaitEnd(here)).reason())
                .isEqualTo("aborted on the " + (source ? "source" : "destination") + ": AbortMigration");
        assertThat(failed(awaitEnd(peer)).reason())
                .contains(source ? "the source aborted" : "the destination aborted").contains("AbortMigration");
        assertNeverCommitted();
    }

    @Test
    void a_transfer_past_its_deadline_fails_on_both_sides() {
        DeviceStepper running = preCopying();
        Transfer in = agents.expect(accept("m-late", 1, Duration.ofSeconds(2)), destination);
        Transfer out = agents.send(start("m-late", 1, agents.endpoint(), MINUTE), running);

        assertThat(failed(awaitEnd(in)).reason()).contains("deadline").contains("passed");
        assertThat(failed(awaitEnd(out)).reason()).contains("the destination aborted").contains("deadline");
        assertNeverCommitted();
    }

    @Test
    void an_expectation_nobody_connects_to_fails_at_its_deadline_and_an_abort_ends_it_earlier() {
        walk(destination, RESUMING);
        Transfer late = agents.expect(accept("m-none", 1, Duration.ofMillis(300)), destination);
        assertThat(failed(awaitEnd(late)).reason()).contains("deadline");
        Transfer aborted = agents.expect(accept("m-none2", 1, MINUTE), destination);
        agents.receiver.abort(new MigrationId("m-none2"), "AbortMigration");
        assertThat(failed(awaitEnd(aborted)).reason()).contains("AbortMigration");
        assertThat(agents.receiver.inFlight()).isEmpty();
    }

    @Test
    void an_extended_deadline_replaces_the_armed_one() {
        walk(destination, RESUMING);
        Transfer extended = agents.expect(accept("m-ext", 1, Duration.ofMillis(300)), destination);
        extended.extend(TransferFixture.CLOCK.instant().plus(MINUTE));
        // Armed after the first and later: when it has fired, the first's original deadline has passed too.
        Transfer control = agents.expect(accept("m-ctl", 1, Duration.ofMillis(800)), destination);
        assertThat(failed(awaitEnd(control)).reason()).contains("deadline");
        assertThat(extended.ended()).isEmpty();
        agents.receiver.abort(new MigrationId("m-ext"), "AbortMigration");
        assertThat(failed(awaitEnd(extended)).reason()).contains("AbortMigration");
    }

    @Test
    void a_bad_endpoint_or_a_refused_connection_fails_the_sender_with_the_reason() {
        walk(source, STOP_COPY);
        assertThat(failed(awaitEnd(agents.send(start("m-e", 1, "nonsense", MINUTE), source))).reason())
                .contains("not host:port");
        int closedPort = TransferFixture.join(agents.vertx.createNetServer().connectHandler(s -> s.close())
                .listen(0, "127.0.0.1")
                .compose(s -> s.close().map(v -> s.actualPort())));
        assertThat(failed(awaitEnd(agents.send(start("m-e", 1, "127.0.0.1:" + closedPort, MINUTE), source))).reason())
                .contains("cannot connect");
    }

    @Test
    void a_newer_command_supersedes_an_expectation_the_same_one_again_is_idempotent_and_an_older_epoch_is_refused() {
        walk(destination, RESUMING);
        Transfer first = agents.expect(accept("m-s", 4, MINUTE), destination);
        Transfer newer = agents.expect(accept("m-s", 5, MINUTE), destination);
        assertThat(failed(awaitEnd(first)).reason()).contains("superseded by command accept-m-s-e5 (epoch 5)");
        assertThat(agents.expect(accept("m-s", 5, MINUTE), destination)).as("a redelivered command").isSameAs(newer);
        Transfer stale = agents.expect(accept("m-s", 3, MINUTE), destination);
        assertThat(failed(awaitEnd(stale)).reason()).contains("epoch 3 is older than the transfer in flight");
        assertThat(newer.ended()).isEmpty();
        assertThat(agents.receiver.inFlight()).containsExactly(newer);
    }

    @Test
    void a_peer_that_does_not_speak_the_protocol_or_says_nothing_is_turned_away() {
        TransferConfig quick = TransferFixture.config().withHandshakeTimeout(Duration.ofMillis(300));
        try (TransferFixture strict = new TransferFixture(quick)) {
            Endpoint at = strict.receiver.endpoint();
            NetClient raw = strict.vertx.createNetClient();
            NetSocket silent = TransferFixture.join(raw.connect(at.port(), at.host()));
            NetSocket http = TransferFixture.join(raw.connect(at.port(), at.host()));
            http.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(MINUTE).until(() -> strict.rejections.size() == 2);
            assertThat(strict.rejections).extracting(Rejection::reason)
                    .anySatisfy(r -> assertThat(r).contains("unknown frame type 71"))
                    .anySatisfy(r -> assertThat(r).contains("no HELLO within PT0.3S"));
            TransferFixture.join(silent.close());
        }
    }

    @Test
    void a_stream_that_overtakes_its_accept_command_waits_for_it() {
        walk(source, STOP_COPY);
        walk(destination, RESUMING);
        Transfer out = agents.send(start("m-early", 1, agents.endpoint(), MINUTE), source);
        await().atMost(MINUTE).until(() -> agents.receiver.waitingStreams() == 1);
        Transfer in = agents.expect(accept("m-early", 1, MINUTE), destination);

        assertThat(completed(awaitEnd(in)).sha256()).isEqualTo(completed(awaitEnd(out)).sha256());
        assertThat(agents.receiver.waitingStreams()).isZero();
        assertThat(agents.rejections).isEmpty();
        assertCommitTakesOn(CONTENT);
    }
}
