package dev.vfo.agent.loop;

import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.ManualClock;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.agent.state.StateDirectory;
import dev.vfo.agent.transfer.Expectation;
import dev.vfo.agent.transfer.Shipment;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.agent.transfer.TransferKey;
import dev.vfo.agent.transfer.TransferListener;
import dev.vfo.agent.transfer.TransferOutcome;
import dev.vfo.agent.transfer.TransferProgress;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream asked for again under a new command id (a coordinator takeover, a re-asked deadline) is
 * adopted, not restarted: the session's data can be streamed only once.
 */
class StreamAdoptionTest {
    static final HostId HOST = new HostId("host-a");
    static final HostId PEER_HOST = new HostId("host-b");
    static final DeviceId DEV = new DeviceId("host-a/dev-0");
    static final DeviceId PEER = new DeviceId("host-b/dev-0");
    static final VmId VM = new VmId("vm-1");
    static final MigrationId M1 = new MigrationId("m1");
    static final MigrationId M2 = new MigrationId("m2");
    static final String ENDPOINT = "host-b:7470";
    static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    final ListSink sink = new ListSink();
    final List<Runnable> mailbox = new ArrayList<>();
    final ScriptedTransfers transfers = new ScriptedTransfers();
    StateDirectory state;
    Commands commands;

    @BeforeEach
    void start() {
        SimulatedDevice device = new SimulatedDevice(SimulatedDeviceSpec.of("dev-0"), clock, clock::sleep);
        state = StateDirectory.open(dir);
        state.beginRun();
        commands = new Commands(HOST, new AgentId("host-a-agent"), List.of(new ServedDevice(DEV, VM, device,
                "0000:17:00.0", "vfo-sim", "vfo-sim")), state, sink, transfers, clock, mailbox::add);
        commands.startUp("host-a:7470");
    }

    @AfterEach
    void stop() {
        state.close();
    }

    @Test
    void a_running_source_stream_asked_again_by_a_new_epoch_goes_on_and_answers_the_new_id() {
        to(PRE_COPY);
        assertThat(handle(start("s1", 1, M1, ENDPOINT))).isEqualTo(Commands.Verdict.EXECUTED);
        ScriptedTransfer running = transfers.only();

        assertThat(handle(start("s2.e2", 2, M1, ENDPOINT))).isEqualTo(Commands.Verdict.EXECUTED);

        assertThat(transfers.opened).containsExactly(running);
        assertThat(running.aborted).isNull();
        assertThat(running.extended).as("the stream lives until the adopting command's deadline").isEqualTo(deadline());
        assertThat(sink.of(AgentEvent.DataTransferFailed.class)).isEmpty();
        running.progress(1_048_748);
        running.complete(Direction.SEND, 2_000_000);
        assertThat(sink.of(AgentEvent.DataTransferProgress.class)).singleElement()
                .satisfies(p -> assertThat(p.answers()).isEqualTo(new CommandId("s2.e2")));
        AgentEvent.DataTransferCompleted done = sink.of(AgentEvent.DataTransferCompleted.class).get(0);
        assertThat(done.answers()).isEqualTo(new CommandId("s2.e2"));
        assertThat(done.bytes()).isEqualTo(2_000_000);
        // Both ids re-report the end if delivered again; nothing is left open for a restart to fail.
        assertThat(state.applied(new CommandId("s1"))).contains(List.of(done));
        assertThat(state.applied(new CommandId("s2.e2"))).contains(List.of(done));
        assertThat(state.openTransfers()).isEmpty();
    }

    @Test
    void a_completed_destination_stream_asked_again_is_answered_with_its_completion_under_the_new_id() {
        to(RESUMING);
        handle(accept("a1", 1, M1, PEER_HOST, PEER));
        transfers.only().complete(Direction.RECEIVE, 4096);
        AgentEvent.DataTransferCompleted first = sink.of(AgentEvent.DataTransferCompleted.class).get(0);

        assertThat(handle(accept("a2.e2", 2, M1, PEER_HOST, PEER))).isEqualTo(Commands.Verdict.EXECUTED);

        assertThat(transfers.opened).hasSize(1);
        List<AgentEvent.DataTransferCompleted> done = sink.of(AgentEvent.DataTransferCompleted.class);
        assertThat(done).hasSize(2);
        assertThat(done.get(1).answers()).isEqualTo(new CommandId("a2.e2"));
        assertThat(done.get(1).sequence()).isEqualTo(first.sequence() + 1);
        assertThat(done.get(1).bytes()).isEqualTo(4096);
        assertThat(done.get(1).sha256()).isEqualTo(first.sha256());
        assertThat(done.get(1).direction()).isEqualTo(Direction.RECEIVE);
        assertThat(sink.of(AgentEvent.DataTransferFailed.class)).isEmpty();
    }

    @Test
    void a_request_of_an_older_epoch_than_the_adopting_one_is_refused_and_the_stream_keeps_its_answer() {
        to(PRE_COPY);
        handle(start("s1", 1, M1, ENDPOINT));
        handle(start("s2.e3", 3, M1, ENDPOINT));

        assertThat(handle(start("s3.e2", 2, M1, ENDPOINT))).isEqualTo(Commands.Verdict.REFUSED);

        assertThat(commands.refusalCounts()).containsEntry(Refusal.Kind.STALE_EPOCH, 1L);
        transfers.only().complete(Direction.SEND, 10);
        assertThat(sink.of(AgentEvent.DataTransferCompleted.class)).singleElement()
                .satisfies(d -> assertThat(d.answers()).isEqualTo(new CommandId("s2.e3")));
    }

    @Test
    void a_stream_of_another_migration_is_refused_with_the_reason_and_the_running_one_is_untouched() {
        to(PRE_COPY);
        handle(start("s1", 1, M1, ENDPOINT));

        handle(start("x1", 1, M2, ENDPOINT));

        AgentEvent.DataTransferFailed refused = sink.of(AgentEvent.DataTransferFailed.class).get(0);
        assertThat(refused.answers()).isEqualTo(new CommandId("x1"));
        assertThat(refused.migration()).isEqualTo(M2);
        assertThat(refused.reason()).contains("still runs").contains("migration m1").contains("migration m2");
        assertThat(transfers.opened).hasSize(1);
        transfers.only().complete(Direction.SEND, 10);
        assertThat(sink.of(AgentEvent.DataTransferCompleted.class)).singleElement()
                .satisfies(d -> assertThat(d.answers()).isEqualTo(new CommandId("s1")));
    }

    @Test
    void the_same_migration_to_another_peer_is_refused_as_a_conflict() {
        to(PRE_COPY);
        handle(start("s1", 1, M1, ENDPOINT));

        handle(start("s2", 1, M1, "host-c:7470"));

        AgentEvent.DataTransferFailed refused = sink.of(AgentEvent.DataTransferFailed.class).get(0);
        assertThat(refused.answers()).isEqualTo(new CommandId("s2"));
        assertThat(refused.reason()).contains("host-c:7470").contains(ENDPOINT);
        assertThat(transfers.opened).hasSize(1);
        assertThat(transfers.only().aborted).isNull();
    }

    @Test
    void a_completed_stream_of_an_earlier_migration_does_not_hold_the_device() {
        to(PRE_COPY);
        handle(start("s1", 1, M1, ENDPOINT));
        transfers.only().complete(Direction.SEND, 10);

        handle(start("t1", 1, M2, ENDPOINT));

        assertThat(transfers.opened).hasSize(2);
        assertThat(sink.of(AgentEvent.DataTransferFailed.class)).isEmpty();
    }

    @Test
    void a_failed_stream_is_not_adopted() {
        to(PRE_COPY);
        handle(start("s1", 1, M1, ENDPOINT));
        transfers.only().fail(Direction.SEND, "cut");

        handle(start("s2.e2", 2, M1, ENDPOINT));

        assertThat(transfers.opened).hasSize(2);
    }

    private void to(MigrationState target) {
        handle(new AgentCommand.TransitionDevice(new CommandId("walk"), M1, 1, HOST, VM, deadline(), DEV, target));
        assertThat(sink.of(AgentEvent.DeviceStateChanged.class)).last()
                .satisfies(c -> assertThat(c.to()).isEqualTo(target));
    }

    private Commands.Verdict handle(AgentCommand c) {
        Commands.Verdict v = commands.handle(c, OptionalLong.empty());
        drain();
        return v;
    }

    private void drain() {
        while (!mailbox.isEmpty()) {
            mailbox.remove(0).run();
        }
    }

    private Instant deadline() {
        return clock.instant().plus(Duration.ofMinutes(1));
    }

    private AgentCommand.StartDataTransfer start(String id, long epoch, MigrationId migration, String endpoint) {
        return new AgentCommand.StartDataTransfer(new CommandId(id), migration, epoch, HOST, VM, deadline(), DEV,
                PEER_HOST, PEER, endpoint);
    }

    private AgentCommand.AcceptDataTransfer accept(String id, long epoch, MigrationId migration, HostId from,
            DeviceId source) {
        return new AgentCommand.AcceptDataTransfer(new CommandId(id), migration, epoch, HOST, VM, deadline(), DEV, from,
                source);
    }

    /** Records every transfer opened; the test moves each one by hand. */
    final class ScriptedTransfers implements TransferPort {
        final List<ScriptedTransfer> opened = new ArrayList<>();

        ScriptedTransfer only() {
            assertThat(opened).hasSize(1);
            return opened.get(0);
        }

        @Override
        public Transfer send(Shipment s) {
            return open(new ScriptedTransfer(new TransferKey(s.migration(), s.sourceDevice(), s.destinationDevice()),
                    s.command(), Direction.SEND, s.listener()));
        }

        @Override
        public Transfer expect(Expectation e) {
            return open(new ScriptedTransfer(new TransferKey(e.migration(), e.sourceDevice(), e.destinationDevice()),
                    e.command(), Direction.RECEIVE, e.listener()));
        }

        private Transfer open(ScriptedTransfer t) {
            opened.add(t);
            return t;
        }

        @Override
        public int abort(MigrationId migration, String reason) {
            return 0;
        }

        @Override
        public List<Transfer> inFlight() {
            return List.copyOf(opened);
        }
    }

    final class ScriptedTransfer implements Transfer {
        final TransferKey key;
        final CommandId command;
        final Direction direction;
        final TransferListener listener;
        final CompletableFuture<TransferOutcome> outcome = new CompletableFuture<>();
        long bytes;
        String aborted;
        Instant extended;

        ScriptedTransfer(TransferKey key, CommandId command, Direction direction, TransferListener listener) {
            this.key = key;
            this.command = command;
            this.direction = direction;
            this.listener = listener;
        }

        void progress(long moved) {
            bytes = moved;
            listener.progress(new TransferProgress(key, direction, moved));
            drain();
        }

        void complete(Direction d, long moved) {
            bytes = moved;
            outcome.complete(new TransferOutcome.Completed(d, moved, SHA));
            drain();
        }

        void fail(Direction d, String reason) {
            outcome.complete(new TransferOutcome.Failed(d, bytes, reason));
            drain();
        }

        @Override
        public TransferKey key() {
            return key;
        }

        @Override
        public CommandId command() {
            return command;
        }

        @Override
        public Direction direction() {
            return direction;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public CompletionStage<TransferOutcome> outcome() {
            return outcome;
        }

        @Override
        public Optional<TransferOutcome> ended() {
            return Optional.ofNullable(outcome.getNow(null));
        }

        @Override
        public void abort(String reason) {
            aborted = reason;
        }

        @Override
        public void extend(Instant later) {
            extended = later;
        }
    }
}
