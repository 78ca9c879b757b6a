package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The source agent is killed with SIGKILL in the middle of the quiesce barrier: one of its devices
 * has reported RUNNING_P2P/PRE_COPY_P2P, the other three are inside their (slow) quiesce arcs. It
 * is restarted with the same state directory. Its devices kept their kernel state (the simulated
 * hardware holds it, as the VM's open of the device keeps the kernel from resetting it), so the
 * restarted agent registers the quiesced device as quiesced, not RUNNING.
 *
 * <p>What the saga then decides is fixed by what died with the agent (core/saga/DESIGN.md: device
 * state and applied ids survive a restart, streams do not). The two PRE_COPY devices' saving
 * streams have been flowing since pre-copy and end only after STOP_COPY, so the kill always cuts
 * them: the destination reports its stream broken, which before the commit point is a rollback, and
 * the VM ends RUNNING on the source. A VM of STOP_COPY|P2P devices only has no stream open during the
 * quiesce: the restarted agent consumes the commands it had not finished (their deadline is far off)
 * and the migration completes. Either way the audit passes: no device of the VM ran while a peer was
 * stopped, and the VM runs in exactly one place.
 */
class AgentKilledMidQuiesceIT extends FleetScenario {
    private static final Set<MigrationState> QUIESCED = Set.of(MigrationState.RUNNING_P2P, MigrationState.PRE_COPY_P2P);


    @Test
    void with_pre_copy_streams_cut_by_the_kill_the_migration_rolls_back_to_the_source() {
        VmPlan vm = VmPlan.mixed("vm-kill", "host-a", "host-b");
        Outcome o = killMidQuiesceAndRestart("precopy", vm);
        assertThat(o.ended().getString("status")).as(o.ended().encodePrettily()).isEqualTo("ROLLED_BACK");
        assertThat(o.ended().getString("reason")).contains("device-state stream");
        assertRunningOn(o.api(), vm.vm(), vm.sourceIds());
        assertThat(o.audit().outcomes()).as(o.audit().output()).containsExactly(entry(o.id(), "ROLLED_BACK"));
    }

    @Test
    void without_streams_in_flight_the_restarted_agent_finishes_the_barrier_and_the_migration_completes() {
        VmPlan vm = VmPlan.stopCopyOnly("vm-kill", "host-a", "host-b");
        Outcome o = killMidQuiesceAndRestart("stopcopy", vm);
        assertThat(o.ended().getString("status")).as(o.ended().encodePrettily()).isEqualTo("SUCCEEDED");
        assertRunningOn(o.api(), vm.vm(), vm.destinationIds());
        assertThat(o.audit().outcomes()).as(o.audit().output()).containsExactly(entry(o.id(), "COMPLETED"));
    }

    private record Outcome(String id, JsonObject ended, ControlPlaneClient api, Fleet.Audit audit) {}

    private Outcome killMidQuiesceAndRestart(String test, VmPlan vm) {
        // d0 is quick, d1..d3 take 1 s per arc and the agent runs its commands one after another:
        // the kill lands after d0 quiesced and before the others did, a window of seconds that the
        // watch below cannot miss (and the assertion after the kill proves it did not).
        List<SimDevice> source = new ArrayList<>(vm.slowed(Duration.ofSeconds(1)));
        source.set(0, vm.slowed(Duration.ofMillis(100)).get(0));
        Child coordinator = stage(test, vm, source);
        Child sourceAgent = fleet.children("agent-host-a");

        ControlPlaneClient api = fleet.api(coordinator);
        String id = api.startMigration(vm.request(Duration.ofSeconds(60))).getString("id");
        String quick = vm.sourceIds().get(0);
        Fleet.waiting().alias("the first source device reports quiesced").until(() -> fleet.deviceEvents().stream()
                .anyMatch(e -> e instanceof AgentEvent.DeviceStateChanged c && c.device().value().equals(quick)
                        && QUIESCED.contains(c.to())));
        sourceAgent.kill();

        List<AgentEvent> beforeRestart = fleet.deviceEvents();
        // The kill landed mid-barrier: some source device had not reported quiesced yet.
        assertThat(vm.sourceIds()).anySatisfy(d -> assertThat(beforeRestart).noneMatch(e ->
                e instanceof AgentEvent.DeviceStateChanged c && c.device().value().equals(d) && QUIESCED.contains(c.to())));
        int seen = beforeRestart.size();

        sourceAgent.start();
        JsonObject ended = fleet.awaitEnded(coordinator, id);

        // The restarted agent registered the quick device in the state the kernel held, not RUNNING.
        List<AgentEvent> afterRestart = fleet.deviceEvents();
        assertThat(afterRestart.subList(seen, afterRestart.size())).filteredOn(e ->
                e instanceof AgentEvent.DeviceRegistered r && r.device().value().equals(quick)).first()
                .satisfies(e -> assertThat(((AgentEvent.DeviceRegistered) e).state()).isIn(QUIESCED));
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        return new Outcome(id, ended, api, audit);
    }
}
