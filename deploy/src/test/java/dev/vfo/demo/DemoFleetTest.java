package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.vfio.MigrationFlag;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoFleetTest {

    @Test
    void everyDeviceHasP2pAndHalfPreCopyOnBothHosts() {
        DemoFleet fleet = DemoFleet.of(1, 4);
        for (DemoFleet.Vm vm : fleet.vms()) {
            assertThat(vm.devices()).hasSize(4).allSatisfy(p -> {
                assertThat(p.source().flags().has(MigrationFlag.P2P)).isTrue();
                assertThat(p.destination().flags()).isEqualTo(p.source().flags());
                assertThat(p.destination().model()).isEqualTo(p.source().model());
            });
            assertThat(vm.devices().stream().filter(p -> p.source().flags().has(MigrationFlag.PRE_COPY))).hasSize(2);
        }
    }

    @Test
    void onlyTheFailingVmCarriesAFaultOnOneDestinationCommitArc() {
        DemoFleet fleet = DemoFleet.of(2, 3);
        assertThat(fleet.healthy()).extracting(DemoFleet.Vm::id).containsExactly("vm-1", "vm-2");
        assertThat(fleet.healthy()).allSatisfy(vm -> assertThat(vm.devices())
                .allSatisfy(p -> assertThat(p.source().faults()).isEmpty())
                .allSatisfy(p -> assertThat(p.destination().faults()).isEmpty()));
        List<DemoFleet.Pair> faulty = fleet.failing().devices();
        assertThat(faulty.stream().filter(p -> !p.destination().faults().isEmpty())).singleElement()
                .satisfies(p -> assertThat(p.destination().faults().get(0).from()).isEqualTo(MigrationState.RESUMING));
    }

    @Test
    void theRequestPairsEachSourceDeviceIdWithItsDestinationId() {
        DemoFleet fleet = DemoFleet.of(1, 2);
        JsonObject request = DemoFleet.request(fleet.healthy().get(0));
        assertThat(request.getString("vm")).isEqualTo("vm-1");
        assertThat(request.getJsonArray("devices").encode()).isEqualTo(
                "[{\"source\":\"host-a/vm-1.d0\",\"destination\":\"host-b/vm-1.d0\"},"
                        + "{\"source\":\"host-a/vm-1.d1\",\"destination\":\"host-b/vm-1.d1\"}]");
        assertThat(fleet.deviceIds()).hasSize(8).doesNotHaveDuplicates();
        assertThat(fleet.devicesOf(fleet.source())).hasSize(4);
    }

    @Test
    void refusesMoreDevicesThanTheApiAccepts() {
        assertThatThrownBy(() -> DemoFleet.of(1, 17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoFleet.of(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
