package dev.vfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.demo.ControlPlaneClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Assertions the scenarios share, on what the REST API shows. */
final class Scenarios {
    private Scenarios() {}

    /** The devices {@code running} of {@code vm} are RUNNING and no other device of the VM is. */
    static void assertRunningOn(ControlPlaneClient api, String vm, List<String> running) {
        JsonObject view = api.vm(vm);
        Map<String, String> states = view.getJsonArray("devices", new JsonArray()).stream()
                .map(JsonObject.class::cast)
                .collect(Collectors.toMap(d -> d.getString("id"), d -> d.getString("state")));
        assertThat(states).as(view.encodePrettily()).containsKeys(running.toArray(String[]::new));
        // Running in exactly one place: the named devices run, no other device of the VM does.
        states.forEach((device, state) -> assertThat(state.equals("RUNNING")).as("%s is %s in %s", device, state,
                view.encodePrettily()).isEqualTo(running.contains(device)));
    }
}
