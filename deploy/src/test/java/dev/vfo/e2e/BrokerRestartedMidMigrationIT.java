package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away in the middle of a migration (the source devices are pre-copying, every
 * process has work in flight) and comes back on the same port with the same data a few seconds
 * later. Agents and the coordinator reconnect on their own, the migration ends, and no record is
 * lost: every device's event sequence is gapless, which the audit checks too.
 */
class BrokerRestartedMidMigrationIT extends FleetScenario {
    /** The outage: the fault's shape, not a wait anything depends on. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @Test
    void every_process_reconnects_the_migration_completes_and_no_record_is_lost() throws InterruptedException {
        VmPlan vm = VmPlan.mixed("vm-outage", "host-a", "host-b");
        // Slow arcs on the source keep the migration in flight across the outage.
        fleet("outage", vm.source(), vm.destination());
        // A group session longer than the outage (the documented override of session.timeout.ms): the
        // coordinator keeps its partitions and epoch. With the default 6 s the outage may or may not
        // outlast the session, and a takeover while the streams flow re-issues them, which the
        // destination refuses (reported as a product issue; not what this scenario is about).
        Child coordinator = fleet.coordinator("c1", Map.of("VFO_KAFKA_SESSION_TIMEOUT_MS", "30000"));
        fleet.agent(vm.source(), vm.slowed(Duration.ofMillis(500)));
        fleet.agent(vm.destination(), vm.devices());
        fleet.awaitRegistered(coordinator, vm.ids());

        ControlPlaneClient api = fleet.api(coordinator);
        String id = api.startMigration(vm.request(Duration.ofSeconds(60))).getString("id");
        Fleet.waiting().alias("a source device is pre-copying").until(() -> fleet.deviceEvents().stream()
                .anyMatch(e -> e instanceof AgentEvent.DeviceStateChanged c && c.to() == MigrationState.PRE_COPY));
        fleet.broker.stop();
        Thread.sleep(OUTAGE.toMillis());
        fleet.broker.start();

        JsonObject ended = fleet.awaitEnded(coordinator, id);

        assertThat(ended.getString("status")).as(ended.encodePrettily()).isEqualTo("SUCCEEDED");
        assertRunningOn(api, vm.vm(), vm.destinationIds());
        assertNoSequenceGaps(vm.ids());
        Fleet.Audit audit = fleet.audit();
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.outcomes()).as(audit.output()).containsExactly(entry(id, "COMPLETED"));
    }
}
