package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two coordinator processes share the partitions; the one owning the VM is killed with SIGKILL
 * while the quiesce barrier is pending (the source devices take a second per arc, so the barrier
 * stays open for seconds after the first quiesce command). The other instance takes the partition
 * over under a newer epoch, re-issues what was outstanding, and completes the migration; the audit
 * of the real topics passes.
 *
 * <p>Twice: with STOP_COPY|P2P devices only (no device-state stream is open during the barrier),
 * and with PRE_COPY devices whose pre-copy streams flow through the barrier. The takeover re-issues
 * those streams under new ids while the old ones still flow; the agents adopt them (a stream is its
 * migration, direction and peer, not its command id), so the streams go on, their completions answer
 * the re-issued ids, and the takeover costs no migration.
 */
class CoordinatorKilledMidBarrierIT extends FleetScenario {
    private static final Set<MigrationState> QUIESCED = Set.of(MigrationState.RUNNING_P2P, MigrationState.PRE_COPY_P2P);

    @Test
    void the_surviving_coordinator_completes_the_barrier_of_a_killed_one() {
        killOwnerMidBarrier("failover", VmPlan.stopCopyOnly("vm-failover", "host-a", "host-b"));
    }

    @Test
    void the_surviving_coordinator_adopts_the_pre_copy_streams_still_flowing() {
        VmPlan vm = VmPlan.mixed("vm-adopt", "host-a", "host-b");

        Takeover t = killOwnerMidBarrier("adopt", vm);

        assertThat(t.startsAtKill()).as("pre-copy streams were open when the owner died").isNotEmpty();
        List<AgentEvent> events = fleet.deviceEvents();
        assertThat(events).as("no stream was refused or cut").noneMatch(e -> e instanceof AgentEvent.DataTransferFailed);
        for (AgentCommand.StartDataTransfer opened : t.startsAtKill()) {
            AgentCommand.StartDataTransfer send = newest(fleet.commandsTo("host-a"), AgentCommand.StartDataTransfer.class,
                    opened.device().value());
            AgentCommand.AcceptDataTransfer accept = newest(fleet.commandsTo("host-b"),
                    AgentCommand.AcceptDataTransfer.class, opened.destinationDevice().value());
            assertThat(send.coordinatorEpoch()).as("the survivor re-asked for the stream of %s", opened.device())
                    .isGreaterThan(opened.coordinatorEpoch());
            assertThat(accept.coordinatorEpoch()).isEqualTo(send.coordinatorEpoch());
            // Adopted, not restarted: the one stream's completion (reported again for a re-ask that came
            // after it ended) answers the survivor's ids on both ends, always with the same bytes.
            List<AgentEvent.DataTransferCompleted> sent = completions(events, send.device().value());
            List<AgentEvent.DataTransferCompleted> received = completions(events, accept.device().value());
            assertThat(sent).extracting(AgentEvent.DataTransferCompleted::answers).contains(send.id());
            assertThat(received).extracting(AgentEvent.DataTransferCompleted::answers).contains(accept.id());
            assertThat(sent).extracting(AgentEvent.DataTransferCompleted::sha256).containsOnly(sent.get(0).sha256());
            assertThat(received).extracting(AgentEvent.DataTransferCompleted::sha256)
                    .containsOnly(sent.get(0).sha256());
        }
    }

    private static <C extends AgentCommand.DeviceCommand> C newest(List<AgentCommand> commands, Class<C> type,
            String device) {
        return commands.stream().filter(type::isInstance).map(type::cast).filter(c -> c.device().value().equals(device))
                .reduce((older, newer) -> newer).orElseThrow();
    }

    private static List<AgentEvent.DataTransferCompleted> completions(List<AgentEvent> events, String device) {
        return events.stream().filter(e -> e instanceof AgentEvent.DataTransferCompleted)
                .map(e -> (AgentEvent.DataTransferCompleted) e).filter(d -> d.device().value().equals(device)).toList();
    }

    /** What the scenario saw when it killed the owner: the streams it had opened on the source. */
    private record Takeover(List<AgentCommand.StartDataTransfer> startsAtKill) {}

    private Takeover killOwnerMidBarrier(String test, VmPlan vm) {
        fleet(test, "host-a", "host-b");
        Map<String, Child> coordinators = Map.of("ca", fleet.coordinator("ca"), "cb", fleet.coordinator("cb"));
        fleet.agent("host-a", vm.slowed(Duration.ofSeconds(1)));
        fleet.agent("host-b", vm.devices());
        String owner = fleet.ownerOf(vm.vm(), 2);
        Child doomed = coordinators.get(owner);
        Child survivor = coordinators.get(owner.equals("ca") ? "cb" : "ca");
        fleet.awaitRegistered(survivor, vm.ids());

        // Submitted to the survivor: the owner of the VM's partition runs the saga.
        ControlPlaneClient api = fleet.api(survivor);
        String id = api.startMigration(vm.request(Duration.ofSeconds(60))).getString("id");
        Fleet.waiting().alias("the quiesce barrier opened").until(() -> fleet.commandsTo("host-a").stream()
                .anyMatch(CoordinatorKilledMidBarrierIT::quiesce));
        doomed.kill();
        List<AgentCommand> atKill = fleet.commandsTo("host-a");
        assertThat(atKill.stream().filter(CoordinatorKilledMidBarrierIT::quiesce).count())
                .as("killed while the barrier was pending, before any STOP").isPositive();
        // No STOP and no STOP_COPY yet: a pre-copy stream ends only after its device's STOP_COPY, so
        // every stream opened so far was still flowing.
        assertThat(atKill).noneMatch(c -> c instanceof AgentCommand.TransitionDevice t
                && (t.target() == MigrationState.STOP || t.target() == MigrationState.STOP_COPY));

        JsonObject ended = fleet.awaitEnded(survivor, id);

        assertThat(ended.getString("status")).as(ended.encodePrettily()).isEqualTo("SUCCEEDED");
        assertRunningOn(api, vm.vm(), vm.destinationIds());
        // The survivor took over under a newer epoch: the last commands carry it, and epochs never go back.
        List<Long> epochs = fleet.commandsTo("host-a").stream().map(AgentCommand::coordinatorEpoch).toList();
        assertThat(epochs).isSorted();
        assertThat(epochs.get(epochs.size() - 1)).isGreaterThan(epochs.get(0));
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.outcomes()).as(audit.output()).containsExactly(entry(id, "COMPLETED"));
        return new Takeover(atKill.stream().filter(c -> c instanceof AgentCommand.StartDataTransfer)
                .map(c -> (AgentCommand.StartDataTransfer) c).toList());
    }

    private static boolean quiesce(AgentCommand c) {
        return c instanceof AgentCommand.TransitionDevice t && QUIESCED.contains(t.target());
    }
}
