package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The source agent is frozen with SIGSTOP (a hung host: its sockets stay open, it answers nothing)
 * as soon as the quiesce commands reach it, with a short step deadline. The saga re-asks the
 * unanswered step until it is out of attempts, then rolls back and aborts the migration on both
 * hosts. Only then is the agent thawed with SIGCONT: it finishes the arc it was frozen in, refuses
 * the commands whose deadline passed, and walks its devices back. The VM ends RUNNING on the
 * source, the migration ROLLED_BACK, and the audit passes.
 */
class AgentStalledIT extends FleetScenario {

    @Test
    void a_source_agent_stalled_past_the_step_deadline_makes_the_saga_roll_back_to_the_source() {
        VmPlan vm = VmPlan.mixed("vm-stall", "host-a", "host-b");
        // 300 ms per arc: the freeze lands inside the quiesce, and four arcs still fit a step.
        Child coordinator = stage("stall", vm, vm.slowed(Duration.ofMillis(300)));
        Child source = fleet.children("agent-host-a");

        ControlPlaneClient api = fleet.api(coordinator);
        String id = api.startMigration(vm.request(Duration.ofSeconds(4))).getString("id");
        Fleet.waiting().alias("the quiesce commands reached host-a").until(() -> fleet.commandsTo("host-a").stream()
                .anyMatch(c -> c instanceof AgentCommand.TransitionDevice t
                        && (t.target() == MigrationState.RUNNING_P2P || t.target() == MigrationState.PRE_COPY_P2P)));
        source.freeze();
        try {
            Fleet.waiting().alias("the saga gave up on host-a and aborted").until(() -> fleet.commandsTo("host-b")
                    .stream().anyMatch(c -> c instanceof AgentCommand.AbortMigration));
        } finally {
            source.thaw();
        }

        JsonObject ended = fleet.awaitEnded(coordinator, id);

        assertThat(ended.getString("status")).as(ended.encodePrettily()).isEqualTo("ROLLED_BACK");
        assertThat(ended.getString("reason")).as(ended.encodePrettily()).contains("host-a");
        assertRunningOn(api, vm.vm(), vm.sourceIds());
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.outcomes()).as(audit.output()).containsExactly(entry(id, "ROLLED_BACK"));
    }
}
