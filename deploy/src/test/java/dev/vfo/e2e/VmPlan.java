package dev.vfo.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A VM of the scenarios and its move: four devices with mixed flags (two STOP_COPY|P2P|PRE_COPY
 * "gpu"s that pre-copy, two STOP_COPY|P2P "nic"s whose state all moves in the downtime), each on
 * {@code source} with an empty counterpart of the same model on {@code destination}.
 */
record VmPlan(String vm, String source, String destination, List<SimDevice> devices) {

    static VmPlan mixed(String vm, String source, String destination) {
        return of(vm, source, destination, true);
    }

    /** Four STOP_COPY|P2P devices: no pre-copy, so no stream is open before the STOP. */
    static VmPlan stopCopyOnly(String vm, String source, String destination) {
        return of(vm, source, destination, false);
    }

    private static VmPlan of(String vm, String source, String destination, boolean withPreCopy) {
        List<SimDevice> devices = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            boolean gpu = withPreCopy && d % 2 == 0;
            devices.add(new SimDevice(vm + ".d" + d, vm, gpu ? "vfo-sim-gpu" : "vfo-sim-nic",
                    gpu ? SimDevice.ALL : SimDevice.STOP_COPY_P2P, Duration.ZERO));
        }
        return new VmPlan(vm, source, destination, devices);
    }

    /** The same devices with every arc taking {@code latency} (to widen a window a fault must land in). */
    List<SimDevice> slowed(Duration latency) {
        return devices.stream().map(d -> new SimDevice(d.name(), d.vm(), d.model(), d.flags(), latency)).toList();
    }

    List<String> sourceIds() {
        return devices.stream().map(d -> d.idOn(source)).toList();
    }

    List<String> destinationIds() {
        return devices.stream().map(d -> d.idOn(destination)).toList();
    }

    List<String> ids() {
        return Stream.concat(sourceIds().stream(), destinationIds().stream()).toList();
    }

    /**
     * The POST /v1/migrations body: every device to its counterpart; pre-copy until it converges
     * (the simulated devices dirty nothing) and a downtime budget a loaded machine keeps;
     * {@code stepTimeout} is what turns a silent device into a rollback.
     */
    JsonObject request(Duration stepTimeout) {
        JsonArray pairs = new JsonArray();
        devices.forEach(d -> pairs.add(new JsonObject().put("source", d.idOn(source))
                .put("destination", d.idOn(destination))));
        return new JsonObject().put("vm", vm).put("devices", pairs).put("policy", new JsonObject()
                .put("downtimeBudgetMs", 60_000).put("maxPreCopyMs", 30_000).put("onPreCopyLimit", "SWITCH_OVER")
                .put("stepTimeoutMs", stepTimeout.toMillis()));
    }
}
