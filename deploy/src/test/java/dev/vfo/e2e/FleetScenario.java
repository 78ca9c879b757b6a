package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every scenario shares: a temporary directory for the processes' state, the fleet, killed in
 * {@link #tearDown()} whatever the test left running, and assertions on what the REST API shows.
 */
abstract class FleetScenario {
    @TempDir
    Path dir;

    Fleet fleet;

    /** The scenario's fleet: a broker of its own and the topics of {@code hosts}; logs under the test's name. */
    Fleet fleet(String test, String... hosts) {
        fleet = Fleet.start(getClass().getSimpleName() + "-" + test, dir, hosts);
        return fleet;
    }

    /**
     * The usual stage for {@code vm}: a fleet with one coordinator ({@code coordinator-c1}), the
     * source host's agent serving {@code sourceDevices} (the plan's devices, maybe slowed), the
     * destination's agent serving their counterparts; returns the coordinator once every device is
     * registered. The agents are {@code agent-<host>} in {@link Fleet#children(String)}.
     */
    Child stage(String test, VmPlan vm, List<SimDevice> sourceDevices) {
        fleet(test, vm.source(), vm.destination());
        Child coordinator = fleet.coordinator("c1");
        fleet.agent(vm.source(), sourceDevices);
        fleet.agent(vm.destination(), vm.devices());
        fleet.awaitRegistered(coordinator, vm.ids());
        return coordinator;
    }

    @AfterEach
    void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /**
     * No record lost: for every device, the sequences its agent reported on the device-events topic
     * are 1..n without a hole (a byte-identical repeat is not a hole); {@code devices} must all be there.
     */
    void assertNoSequenceGaps(List<String> devices) {
        Map<String, List<Long>> sequences = fleet.deviceEvents().stream()
                .filter(e -> e instanceof AgentEvent.DeviceEvent).map(e -> (AgentEvent.DeviceEvent) e)
                .collect(Collectors.groupingBy(e -> e.device().value(), TreeMap::new,
                        Collectors.mapping(AgentEvent.DeviceEvent::sequence, Collectors.toList())));
        assertThat(sequences.keySet()).containsAll(devices);
        sequences.forEach((device, seqs) -> assertThat(seqs.stream().distinct().sorted().toList())
                .as("sequences of %s", device).isEqualTo(LongStream.rangeClosed(1, seqs.stream()
                        .mapToLong(Long::longValue).max().orElse(0)).boxed().toList()));
    }

    /** The devices {@code running} of {@code vm} are RUNNING, as the API shows them. */
    static void assertRunningOn(ControlPlaneClient api, String vm, List<String> running) {
        JsonObject view = api.vm(vm);
        Map<String, String> states = view.getJsonArray("devices", new JsonArray()).stream()
                .map(JsonObject.class::cast)
                .collect(Collectors.toMap(d -> d.getString("id"), d -> d.getString("state")));
        // Only the named side is checked: the counterpart is reset after the migration's end (cleanup of
        // the source, or of the destination after a rollback), and a reset device is RUNNING too, with no
        // VM state in it. That the VM ran in exactly one place when the migration ended is the audit's rule.
        running.forEach(d -> assertThat(states.get(d)).as("%s in %s", d, view.encodePrettily()).isEqualTo("RUNNING"));
    }
}
