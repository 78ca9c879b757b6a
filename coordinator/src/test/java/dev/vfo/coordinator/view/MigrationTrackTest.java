package dev.vfo.coordinator.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.DevicePlan;
import dev.vfo.core.saga.DeviceSnapshot;
import dev.vfo.core.saga.MigrationPlan;
import dev.vfo.core.saga.MigrationPolicy;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTrackTest {

    private static final HostId SRC = new HostId("src-host");
    private static final HostId DST = new HostId("dst-host");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aFailureEventNamesEachDevicesLastStateAndTheCommandStillInDoubt() {
        MigrationId mig = new MigrationId("mig-1");
        MigrationPlan plan = new MigrationPlan(mig, new VmId("vm-1"), SRC, DST, List.of(new DevicePlan(
                new DeviceId("src-0"), new AgentId("agent-src"), MigrationCapability.STOP_COPY_P2P,
                new DeviceId("dst-0"), new AgentId("agent-dst"), MigrationCapability.STOP_COPY_P2P, "dst-host:7000",
                SRC, DST)), MigrationPolicy.defaults(), AT);
        MigrationTrack track = new MigrationTrack(plan);

        JsonObject data = track.record(new SagaEvent.MigrationFailed(mig, "after the commit point: out of attempts",
                List.of(new DeviceSnapshot(SRC, new DeviceId("src-0"), MigrationState.STOP_COPY),
                        new DeviceSnapshot(DST, new DeviceId("dst-0"), MigrationState.STOP, List.of(
                                new DeviceSnapshot.Unanswered(new CommandId("c8.e1.mig-1"), MigrationState.RUNNING_P2P),
                                new DeviceSnapshot.Unanswered(new CommandId("c9.e1.mig-1"), MigrationState.RUNNING_P2P)))),
                AT.plusSeconds(30))).orElseThrow().data();

        JsonArray devices = data.getJsonArray("devices");
        assertThat(devices.getJsonObject(0).getString("state")).isEqualTo("STOP_COPY");
        assertThat(devices.getJsonObject(0).getJsonArray("unanswered")).isEmpty();
        JsonObject dst = devices.getJsonObject(1);
        assertThat(dst.getString("device")).isEqualTo("dst-0");
        assertThat(dst.getString("state")).isEqualTo("STOP");
        assertThat(dst.getJsonArray("unanswered").getJsonObject(1).getMap())
                .containsEntry("command", "c9.e1.mig-1").containsEntry("target", "RUNNING_P2P");
        assertThat(dst.getJsonArray("unanswered").size()).isEqualTo(2);
        assertThat(track.status.ended()).isTrue();
    }
}
