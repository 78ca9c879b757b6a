package dev.vfo.coordinator.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API contract: {@code openapi.yaml} as written (served verbatim) and the form the request
 * validator is given.
 *
 * <p>Why two forms: vertx-openapi 5.0.10 refuses a contract whose <em>responses</em> use media
 * types it cannot analyse, and ours truthfully declare {@code application/problem+json} (RFC
 * 9457) and {@code text/event-stream} (SSE). The validator only checks requests, so the copy it
 * gets has those response media types renamed to {@code application/json}; requests and schemas
 * are untouched, and clients read the true contract.
 */
final class Contract {
    private static final Set<String> ANALYSABLE = Set.of("application/json", "application/json; charset=utf-8",
            "multipart/form-data", "application/hal+json", "application/octet-stream", "text/plain",
            "text/plain; charset=utf-8");

    private Contract() {}

    static Future<OpenAPIContract> forValidation(Vertx vertx, Buffer yamlText) {
        JsonObject contract;
        try {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) parsed;
            contract = new JsonObject(map).copy();
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("openapi.yaml is not valid YAML", e));
        }
        withAnalysableResponses(contract);
        return OpenAPIContract.from(vertx, contract);
    }

    /** Renames response media types the validator cannot analyse; visible for tests. */
    static JsonObject withAnalysableResponses(JsonObject contract) {
        JsonObject components = contract.getJsonObject("components", new JsonObject());
        components.getJsonObject("responses", new JsonObject()).forEach(r -> rename((JsonObject) r.getValue()));
        contract.getJsonObject("paths", new JsonObject()).forEach(path ->
                ((JsonObject) path.getValue()).forEach(op -> {
                    if (op.getValue() instanceof JsonObject) {
                        ((JsonObject) op.getValue()).getJsonObject("responses", new JsonObject())
                                .forEach(r -> rename((JsonObject) r.getValue()));
                    }
                }));
        return contract;
    }

    private static void rename(JsonObject response) {
        JsonObject content = response.getJsonObject("content");
        if (content == null) {
            return;
        }
        for (String type : Set.copyOf(content.fieldNames())) {
            if (!ANALYSABLE.contains(type)) {
                Object schema = content.remove(type);
                content.put("application/json", schema);
            }
        }
    }
}
