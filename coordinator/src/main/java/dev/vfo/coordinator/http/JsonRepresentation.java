package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.DevicePairing;
import dev.vfo.coordinator.api.DeviceProgress;
import dev.vfo.coordinator.api.DeviceView;
import dev.vfo.coordinator.api.MigrationEvent;
import dev.vfo.coordinator.api.MigrationPolicy;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.OnPreCopyLimit;
import dev.vfo.coordinator.api.VmView;
import dev.vfo.core.protocol.DeviceId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The JSON form of the API's values, matching the schemas of {@code openapi.yaml}. Reading a
 * request assumes the contract already validated it (types, required fields, patterns); what a
 * schema cannot say (a device named twice) is checked here and reported with its field.
 */
final class JsonRepresentation {
    private JsonRepresentation() {}

    /** A request body failed a rule the schema cannot express; {@code field} points at it. */
    static final class InvalidField extends RuntimeException {
        private final String field;

        InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    static List<DevicePairing> pairings(JsonArray devices) {
        List<DevicePairing> pairings = new ArrayList<>();
        Map<DeviceId, String> seenAt = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            JsonObject d = devices.getJsonObject(i);
            DeviceId source = new DeviceId(d.getString("source"));
            DeviceId destination = new DeviceId(d.getString("destination"));
            for (String side : List.of("source", "destination")) {
                DeviceId id = side.equals("source") ? source : destination;
                String field = "/body/devices/" + i + "/" + side;
                String earlier = seenAt.putIfAbsent(id, field);
                if (earlier != null) {
                    throw new InvalidField(field, "device " + id + " at " + field + " is already named at " + earlier
                            + "; each device takes part once");
                }
            }
            pairings.add(new DevicePairing(source, destination));
        }
        return pairings;
    }

    static MigrationPolicy policy(JsonObject p) {
        Long bandwidth = p.getLong("bandwidthBytesPerSec");
        return new MigrationPolicy(p.getLong("downtimeBudgetMs"), p.getLong("maxPreCopyMs"),
                OnPreCopyLimit.valueOf(p.getString("onPreCopyLimit")), p.getLong("stepTimeoutMs"),
                bandwidth == null ? OptionalLong.empty() : OptionalLong.of(bandwidth));
    }

    static JsonObject policy(MigrationPolicy p) {
        JsonObject j = new JsonObject()
                .put("downtimeBudgetMs", p.downtimeBudgetMs())
                .put("maxPreCopyMs", p.maxPreCopyMs())
                .put("onPreCopyLimit", p.onPreCopyLimit().name())
                .put("stepTimeoutMs", p.stepTimeoutMs());
        p.bandwidthBytesPerSec().ifPresent(b -> j.put("bandwidthBytesPerSec", b));
        return j;
    }

    static JsonObject migration(MigrationView m) {
        JsonArray devices = new JsonArray();
        for (DeviceProgress d : m.devices()) {
            devices.add(new JsonObject()
                    .put("source", d.pairing().source().value())
                    .put("destination", d.pairing().destination().value())
                    .put("sourceState", d.sourceState().name())
                    .put("destinationState", d.destinationState().name())
                    .put("bytes", d.bytes()));
        }
        JsonObject durations = new JsonObject();
        m.phaseDurationsMs().forEach(durations::put);
        JsonObject j = new JsonObject()
                .put("id", m.id().value())
                .put("vm", m.vm().value())
                .put("status", m.status().name())
                .put("phase", m.phase())
                .put("devices", devices)
                .put("policy", policy(m.policy()))
                .put("createdAt", m.createdAt().toString())
                .put("bytes", m.bytes())
                .put("phaseDurationsMs", durations);
        m.endedAt().ifPresent(t -> j.put("endedAt", t.toString()));
        m.downtimeMs().ifPresent(d -> j.put("downtimeMs", d));
        m.reason().ifPresent(r -> j.put("reason", r));
        return j;
    }

    static JsonObject device(DeviceView d) {
        JsonObject j = new JsonObject()
                .put("id", d.id().value())
                .put("host", d.host().value())
                .put("state", d.state().name())
                .put("model", d.model())
                .put("pciAddress", d.pciAddress())
                .put("driver", d.driver())
                .put("migrationFlags", d.migrationFlags())
                .put("lastSeenAt", d.lastSeenAt().toString())
                .put("alive", d.alive());
        d.vm().ifPresent(vm -> j.put("vm", vm.value()));
        return j;
    }

    static JsonObject vm(VmView v) {
        JsonObject j = new JsonObject()
                .put("id", v.id().value())
                .put("devices", new JsonArray(v.devices().stream().map(JsonRepresentation::device).toList()))
                .put("migrations", new JsonArray(v.migrations().stream().map(JsonRepresentation::migration).toList()));
        v.activeMigration().ifPresent(m -> j.put("activeMigration", m.value()));
        return j;
    }

    /** One server-sent event: the kind is one line (checked by MigrationEvent), the JSON has no line breaks. */
    static String sse(MigrationEvent e) {
        JsonObject data = new JsonObject()
                .put("migration", e.migration().value())
                .put("sequence", e.sequence())
                .put("kind", e.kind())
                .put("at", e.at().toString())
                .put("terminal", e.terminal())
                .put("data", e.data());
        return "id: " + e.sequence() + "\nevent: " + e.kind() + "\ndata: " + data.encode() + "\n\n";
    }
}
