package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

    @AfterEach
    void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
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
