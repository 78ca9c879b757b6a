package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broker, one coordinator and three agents, each a process: a 4-device VM with mixed flags
 * migrates from host-a to host-b while host-c serves a VM that stays where it is; the audit of the
 * real topics passes.
 */
class HappyPathIT extends FleetScenario {

    @Test
    void a_four_device_vm_migrates_and_the_audit_passes() {
        VmPlan vm = VmPlan.mixed("vm-happy", "host-a", "host-b");
        VmPlan idle = VmPlan.mixed("vm-idle", "host-c", "host-c");
        fleet("migrates", "host-a", "host-b", "host-c");
        Child coordinator = fleet.coordinator("c1");
        fleet.agent("host-a", vm.devices());
        fleet.agent("host-b", vm.devices());
        fleet.agent("host-c", idle.devices());
        List<String> all = new ArrayList<>(vm.ids());
        all.addAll(idle.sourceIds());
        fleet.awaitRegistered(coordinator, all);

        ControlPlaneClient api = fleet.api(coordinator);
        String id = api.startMigration(vm.request(Duration.ofSeconds(30))).getString("id");
        JsonObject ended = fleet.awaitEnded(coordinator, id);

        assertThat(ended.getString("status")).as(ended.encodePrettily()).isEqualTo("SUCCEEDED");
        assertThat(ended.getLong("bytes")).isPositive();
        assertRunningOn(api, vm.vm(), vm.destinationIds());
        assertRunningOn(api, idle.vm(), idle.sourceIds());
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.outcomes()).as(audit.output()).containsExactly(entry(id, "COMPLETED"));
    }
}
