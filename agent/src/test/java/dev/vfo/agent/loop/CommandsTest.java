package dev.vfo.agent.loop;

import static dev.vfo.core.vfio.MigrationState.ERROR;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.ManualClock;
import dev.vfo.agent.device.Walk;
import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.agent.state.StateDirectory;
import dev.vfo.agent.transfer.Expectation;
import dev.vfo.agent.transfer.Shipment;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command handling over simulated devices, an in-memory sink and a real state directory. */
class CommandsTest {
    static final HostId HOST = new HostId("host-a");
    static final AgentId AGENT = new AgentId("host-a-agent");
    static final VmId VM = new VmId("vm-1");
    static final DeviceId DEV = new DeviceId("host-a/dev-0");
    static final MigrationId MIGRATION = new MigrationId("m1");

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    final ListSink sink = new ListSink();
    final List<Runnable> mailbox = new ArrayList<>();
    SimulatedDevice simulated;
    CountingDevice device;
    StateDirectory state;
    Commands commands;

    @BeforeEach
    void start() {
        simulated = new SimulatedDevice(SimulatedDeviceSpec.of("dev-0"), clock, clock::sleep);
        device = new CountingDevice(simulated);
        restart();
    }

    @AfterEach
    void stop() {
        state.close();
    }

    /** A new agent run over the same state directory and device, as after a restart. */
    void restart() {
        if (state != null) {
            state.close();
        }
        state = StateDirectory.open(dir);
        state.beginRun();
        commands = new Commands(HOST, AGENT, List.of(new ServedDevice(DEV, VM, device, "0000:17:00.0", "vfo-sim",
                "vfo-sim")), state, sink, new NoTransfers(), clock, mailbox::add);
        commands.startUp("host-a:7470");
    }

    AgentCommand.TransitionDevice transition(String id, long epoch, MigrationState target) {
        return new AgentCommand.TransitionDevice(new CommandId(id), MIGRATION, epoch, HOST, VM,
                clock.instant().plus(Duration.ofMinutes(1)), DEV, target);
    }

    @Test
    void startup_registers_each_device_with_its_real_state_and_sequence_1() {
        assertThat(sink.sent).hasSize(1);
        AgentEvent.DeviceRegistered r = sink.of(AgentEvent.DeviceRegistered.class).get(0);
        assertThat(r.sequence()).isEqualTo(1);
        assertThat(r.state()).isEqualTo(RUNNING);
        assertThat(r.migrationFlags()).isEqualTo(MigrationCapability.STOP_COPY_P2P_PRE_COPY.flags().raw());
        assertThat(r.transferEndpoint()).isEqualTo("host-a:7470");
        assertThat(r.stopCopySizeEstimate()).isPositive();
        assertThat(r.pciAddress()).isEqualTo("0000:17:00.0");
    }

    @Test
    void a_transition_is_walked_and_reported_one_arc_at_a_time() {
        assertThat(commands.handle(transition("c1", 1, STOP), OptionalLong.of(1))).isEqualTo(Commands.Verdict.EXECUTED);
        List<AgentEvent.DeviceStateChanged> arcs = sink.of(AgentEvent.DeviceStateChanged.class);
        assertThat(arcs).extracting(a -> a.from() + ">" + a.to()).containsExactly("RUNNING>RUNNING_P2P", "RUNNING_P2P>STOP");
        assertThat(arcs).extracting(AgentEvent.DeviceStateChanged::sequence).containsExactly(2L, 3L);
        assertThat(arcs).allSatisfy(a -> assertThat(a.answers()).contains(new CommandId("c1")));
        assertThat(device.sets).hasValue(2);
        assertThat(state.offset()).hasValue(1);
        assertThat(state.applied(new CommandId("c1"))).contains(List.copyOf(arcs));
    }

    @Test
    void a_goal_asked_again_under_a_new_id_is_answered_without_an_arc() {
        commands.handle(transition("c1", 1, RUNNING_P2P), OptionalLong.of(1));
        int sets = device.sets.get();
        // A coordinator that took over re-issues the outstanding goal with a new id and epoch.
        assertThat(commands.handle(transition("c2.e2", 2, RUNNING_P2P), OptionalLong.of(2)))
                .isEqualTo(Commands.Verdict.EXECUTED);
        AgentEvent.DeviceStateChanged answer = sink.of(AgentEvent.DeviceStateChanged.class).get(1);
        assertThat(answer.answers()).contains(new CommandId("c2.e2"));
        assertThat(answer.from() + ">" + answer.to()).isEqualTo("RUNNING_P2P>RUNNING_P2P");
        assertThat(answer.sequence()).isEqualTo(3);
        assertThat(device.sets).hasValue(sets);
    }

    @Test
    void an_applied_command_is_re_reported_not_re_executed_even_after_a_restart() {
        commands.handle(transition("c1", 1, STOP_COPY), OptionalLong.of(1));
        List<AgentEvent> first = List.copyOf(sink.sent.subList(1, sink.sent.size()));
        assertThat(device.sets).hasValue(3);

        sink.sent.clear();
        assertThat(commands.handle(transition("c1", 1, STOP_COPY), OptionalLong.of(2)))
                .isEqualTo(Commands.Verdict.REREPORTED);
        assertThat(sink.sent).isEqualTo(first);

        restart();
        sink.sent.clear();
        assertThat(commands.handle(transition("c1", 1, STOP_COPY), OptionalLong.of(3)))
                .isEqualTo(Commands.Verdict.REREPORTED);
        assertThat(sink.sent).isEqualTo(first);
        assertThat(device.sets).as("the device was never asked again").hasValue(3);
        assertThat(state.offset()).hasValue(3);
    }

    @Test
    void sequences_continue_across_restarts_without_gaps() {
        commands.handle(transition("c1", 1, STOP), OptionalLong.of(1));
        restart();
        commands.handle(transition("c2", 1, RUNNING), OptionalLong.of(2));
        List<Long> seqs = sink.sent.stream().filter(e -> e instanceof AgentEvent.DeviceEvent)
                .map(e -> ((AgentEvent.DeviceEvent) e).sequence()).toList();
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void a_command_of_an_older_coordinator_epoch_is_refused_and_counted() {
        commands.handle(transition("c1", 5, STOP), OptionalLong.of(1));
        int sets = device.sets.get();
        int events = sink.sent.size();

        assertThat(commands.handle(transition("c2", 4, RUNNING), OptionalLong.of(2))).isEqualTo(Commands.Verdict.REFUSED);
        assertThat(device.sets).hasValue(sets);
        assertThat(sink.sent).hasSize(events);
        assertThat(commands.refusalCounts()).containsEntry(Refusal.Kind.STALE_EPOCH, 1L);
        assertThat(commands.recentRefusals()).singleElement().satisfies(r -> {
            assertThat(r.command()).isEqualTo(new CommandId("c2"));
            assertThat(r.reason()).contains("epoch 4 is older than epoch 5");
        });
        assertThat(state.offset()).as("a refused command is consumed").hasValue(2);

        restart();
        assertThat(commands.handle(transition("c3", 4, RUNNING), OptionalLong.of(3)))
                .as("the newest epoch survives a restart").isEqualTo(Commands.Verdict.REFUSED);
        assertThat(commands.handle(transition("c4", 6, RUNNING), OptionalLong.of(4))).isEqualTo(Commands.Verdict.EXECUTED);
    }

    @Test
    void late_foreign_and_unknown_device_commands_are_refused() {
        AgentCommand.TransitionDevice late = transition("late", 1, STOP);
        clock.advance(Duration.ofMinutes(2));
        assertThat(commands.handle(late, OptionalLong.empty())).isEqualTo(Commands.Verdict.REFUSED);
        AgentCommand.TransitionDevice foreign = new AgentCommand.TransitionDevice(new CommandId("f"), MIGRATION, 1,
                new HostId("host-b"), VM, clock.instant().plusSeconds(60), DEV, STOP);
        assertThat(commands.handle(foreign, OptionalLong.empty())).isEqualTo(Commands.Verdict.REFUSED);
        AgentCommand.TransitionDevice unknown = new AgentCommand.TransitionDevice(new CommandId("u"), MIGRATION, 1,
                HOST, VM, clock.instant().plusSeconds(60), new DeviceId("host-a/nope"), STOP);
        assertThat(commands.handle(unknown, OptionalLong.empty())).isEqualTo(Commands.Verdict.REFUSED);
        assertThat(device.sets).hasValue(0);
        assertThat(commands.refusalCounts()).containsEntry(Refusal.Kind.LATE, 1L)
                .containsEntry(Refusal.Kind.FOREIGN_HOST, 1L).containsEntry(Refusal.Kind.UNKNOWN_DEVICE, 1L);
    }

    @Test
    void a_failing_arc_is_reported_with_its_errno_and_the_state_read_back() {
        simulated.inject(ArcFault.once(RUNNING_P2P, STOP, Errno.EIO.value(), AfterFailure.ERROR));
        commands.handle(transition("c1", 1, STOP), OptionalLong.empty());
        assertThat(sink.of(AgentEvent.DeviceStateChanged.class)).extracting(AgentEvent.DeviceStateChanged::to)
                .containsExactly(RUNNING_P2P);
        AgentEvent.TransitionFailed f = sink.of(AgentEvent.TransitionFailed.class).get(0);
        assertThat(f.from()).isEqualTo(RUNNING_P2P);
        assertThat(f.requested()).isEqualTo(STOP);
        assertThat(f.errno()).isEqualTo(Errno.EIO.value());
        assertThat(f.readBack()).isEqualTo(ERROR);
        assertThat(f.sequence()).isEqualTo(3);
        assertThat(f.answers()).contains(new CommandId("c1"));

        simulated.inject(ArcFault.once(RUNNING, RUNNING_P2P, Errno.EBUSY.value(), AfterFailure.STAY));
        commands.handle(new AgentCommand.ResetDevice(new CommandId("r1"), MIGRATION, 1, HOST, VM,
                clock.instant().plusSeconds(60), DEV, "recover"), OptionalLong.empty());
        AgentEvent.DeviceStateChanged reset = sink.of(AgentEvent.DeviceStateChanged.class).get(1);
        assertThat(reset.from() + ">" + reset.to()).isEqualTo("ERROR>RUNNING");
        commands.handle(transition("c2", 1, STOP), OptionalLong.empty());
        AgentEvent.TransitionFailed stay = sink.of(AgentEvent.TransitionFailed.class).get(1);
        assertThat(stay.readBack()).isEqualTo(RUNNING);
        assertThat(stay.errno()).isEqualTo(Errno.EBUSY.value());
    }

    @Test
    void a_target_the_device_cannot_reach_is_answered_with_einval_and_nothing_sent() {
        simulated = new SimulatedDevice(SimulatedDeviceSpec.of("dev-0").withCapability(MigrationCapability.STOP_COPY),
                clock, clock::sleep);
        device = new CountingDevice(simulated);
        restart();
        commands.handle(transition("c1", 1, RUNNING_P2P), OptionalLong.empty());
        AgentEvent.TransitionFailed f = sink.of(AgentEvent.TransitionFailed.class).get(0);
        assertThat(f.errno()).isEqualTo(Errno.EINVAL.value());
        assertThat(f.readBack()).isEqualTo(RUNNING);
        assertThat(f.detail()).startsWith("refused, nothing sent");
        assertThat(device.sets).hasValue(0);
    }

    @Test
    void a_state_change_no_event_reported_is_reported_at_the_next_start() {
        commands.handle(transition("c1", 1, STOP), OptionalLong.empty());
        // As if the agent died after this arc and before its event: the device moved, the log did not.
        Walk w = new DeviceStepper(device.inner(), clock).walk(RUNNING);
        assertThat(w.kind()).isEqualTo(Walk.Kind.REACHED);
        sink.sent.clear();
        restart();
        AgentEvent.DeviceStateChanged healed = sink.of(AgentEvent.DeviceStateChanged.class).get(0);
        assertThat(healed.from() + ">" + healed.to()).isEqualTo("STOP>RUNNING");
        assertThat(healed.answers()).isEmpty();
        assertThat(healed.sequence()).isEqualTo(4);
        AgentEvent.DeviceRegistered again = sink.of(AgentEvent.DeviceRegistered.class).get(0);
        assertThat(again.sequence()).isEqualTo(5);
        assertThat(again.state()).isEqualTo(RUNNING);
    }

    @Test
    void an_event_kafka_did_not_acknowledge_is_sent_again_with_the_same_sequence_after_a_restart() {
        sink.failNextFlush = true;
        assertThatThrownBy(() -> commands.handle(transition("c1", 1, RUNNING_P2P), OptionalLong.of(1)))
                .hasMessageContaining("unreachable");
        AgentEvent unacked = sink.sent.get(sink.sent.size() - 1);
        assertThat(state.applied(new CommandId("c1"))).as("not applied: it will be consumed again").isEmpty();
        sink.sent.clear();
        restart();
        assertThat(sink.sent.get(0)).isEqualTo(unacked);
        // Consumed again: the device is already there, so the walk sends nothing and reports nothing new.
        commands.handle(transition("c1", 1, RUNNING_P2P), OptionalLong.of(1));
        assertThat(device.sets).hasValue(1);
    }

    @Test
    void a_transfer_without_a_data_session_fails_at_once() {
        commands.handle(new AgentCommand.StartDataTransfer(new CommandId("s1"), MIGRATION, 1, HOST, VM,
                clock.instant().plusSeconds(60), DEV, new HostId("host-b"), new DeviceId("host-b/dev-9"), "host-b:7470"),
                OptionalLong.empty());
        AgentEvent.DataTransferFailed f = sink.of(AgentEvent.DataTransferFailed.class).get(0);
        assertThat(f.direction()).isEqualTo(AgentEvent.Direction.SEND);
        assertThat(f.reason()).contains("no saving session").contains("RUNNING");
    }

    @Test
    void a_transfer_a_restart_cut_is_reported_failed_and_never_completes() {
        AgentCommand.AcceptDataTransfer accept = new AgentCommand.AcceptDataTransfer(new CommandId("a1"), MIGRATION, 1,
                HOST, VM, clock.instant().plusSeconds(60), DEV, new HostId("host-b"), new DeviceId("host-b/dev-9"));
        // As recorded by a run that was killed while the stream flowed.
        state.transferStarted(accept);
        state.applied(accept.id(), List.of(), OptionalLong.empty());
        sink.sent.clear();
        restart();
        AgentEvent.DataTransferFailed f = sink.of(AgentEvent.DataTransferFailed.class).get(0);
        assertThat(f.answers()).isEqualTo(accept.id());
        assertThat(f.direction()).isEqualTo(AgentEvent.Direction.RECEIVE);
        assertThat(f.reason()).contains("restarted");
        assertThat(state.openTransfers()).isEmpty();
        sink.sent.clear();
        assertThat(commands.handle(accept, OptionalLong.empty())).isEqualTo(Commands.Verdict.REREPORTED);
        assertThat(sink.sent).containsExactly(f);
    }

    @Test
    void heartbeats_carry_the_agent_epoch_and_each_device_s_last_state_and_sequence() {
        commands.handle(transition("c1", 1, STOP), OptionalLong.empty());
        commands.heartbeat(7);
        AgentEvent.AgentHeartbeat h = sink.of(AgentEvent.AgentHeartbeat.class).get(0);
        assertThat(h.agentEpoch()).isEqualTo(7);
        assertThat(h.vm()).isEqualTo(VM);
        assertThat(h.devices()).containsExactly(new AgentEvent.DeviceStatus(DEV, STOP, 3));
    }

    /** Transfers are exercised by the integration test; here none may be started. */
    static final class NoTransfers implements TransferPort {
        @Override
        public Transfer send(Shipment shipment) {
            throw new AssertionError("no transfer expected");
        }

        @Override
        public Transfer expect(Expectation expectation) {
            throw new AssertionError("no transfer expected");
        }

        @Override
        public int abort(MigrationId migration, String reason) {
            return 0;
        }

        @Override
        public List<Transfer> inFlight() {
            return List.of();
        }
    }
}
