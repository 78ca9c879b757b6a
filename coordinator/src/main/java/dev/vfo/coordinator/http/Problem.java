package dev.vfo.coordinator.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem: what the API answers for every refusal. {@code field} is the JSON pointer
 * of the bad part of a request ({@code /body/policy/stepTimeoutMs}, {@code /path/id},
 * {@code /query/state}, {@code /header/Idempotency-Key}).
 */
record Problem(int status, String title, String detail, Optional<String> field, JsonObject extra) {
    static final String MEDIA_TYPE = "application/problem+json";

    Problem {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(field, "field");
        extra = extra.copy();
    }

    static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, Optional.empty(), new JsonObject());
    }

    static Problem badField(String field, String detail) {
        return new Problem(400, "Bad Request", detail, Optional.of(field), new JsonObject());
    }

    Problem with(String key, Object value) {
        return new Problem(status, title, detail, field, extra.copy().put(key, value));
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("title", title).put("status", status).put("detail", detail);
        field.ifPresent(f -> j.put("field", f));
        return j.mergeIn(extra);
    }

    void send(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            // A stream already answered 200; all that is left is to stop it.
            response.reset();
            return;
        }
        response.setStatusCode(status).putHeader("content-type", MEDIA_TYPE).end(toJson().encode());
    }
}
