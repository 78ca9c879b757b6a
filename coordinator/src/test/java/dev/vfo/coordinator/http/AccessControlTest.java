package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 401, 403, 413, 429: who may call, and how much. */
class AccessControlTest {

    @Test
    void no_token_or_an_unknown_one_is_401_with_a_bearer_challenge() {
        try (ApiFixture api = ApiFixture.start()) {
            for (HttpResponse<Buffer> r : List.of(
                    api.get("/v1/migrations", null),
                    api.get("/v1/migrations", "not-a-known-token-0123456789"),
                    api.get("/v1/devices", ApiFixture.VIEWER + "x"),
                    api.await(api.client.get("/v1/devices").putHeader("Authorization", "Basic " + ApiFixture.VIEWER).send()),
                    api.post("/v1/migrations", null, ApiFixture.startRequest("vm-1")))) {
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
                assertThat(r.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
            }
            assertThat(api.desk.submits.get()).isZero();
        }
    }

    @Test
    void the_scheme_name_is_case_insensitive() {
        try (ApiFixture api = ApiFixture.start()) {
            HttpResponse<Buffer> r = ApiFixture.await(api.client.get("/v1/devices")
                    .putHeader("Authorization", "bearer " + ApiFixture.VIEWER).send());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_viewer_may_read_but_not_start_or_cancel() {
        try (ApiFixture api = ApiFixture.start()) {
            String m = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"))
                    .bodyAsJsonObject().getString("id");

            assertThat(api.get("/v1/migrations/" + m, ApiFixture.VIEWER).statusCode()).isEqualTo(200);
            HttpResponse<Buffer> start = api.post("/v1/migrations", ApiFixture.VIEWER, ApiFixture.startRequest("vm-2"));
            HttpResponse<Buffer> cancel = api.post("/v1/migrations/" + m + "/cancel", ApiFixture.VIEWER, null);
            // Even a malformed write by a viewer is 403: its role is checked before the contract.
            HttpResponse<Buffer> malformed = api.post("/v1/migrations", ApiFixture.VIEWER, new JsonObject().put("x", 1));

            for (HttpResponse<Buffer> r : List.of(start, cancel, malformed)) {
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.bodyAsJsonObject().getString("detail")).contains("carol", "viewer", "operator");
            }
            assertThat(api.desk.submits.get()).isEqualTo(1);
        }
    }

    @Test
    void a_body_over_the_limit_is_413() {
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_HTTP_BODY_LIMIT_BYTES", "1024"))) {
            JsonObject big = ApiFixture.startRequest("vm-1").put("padding", "x".repeat(4096));

            HttpResponse<Buffer> r = api.post("/v1/migrations", ApiFixture.OPERATOR, big);

            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
            assertThat(r.bodyAsJsonObject().getString("detail")).contains("1024 bytes");
            assertThat(api.desk.submits.get()).isZero();
        }
    }

    @Test
    void starting_migrations_is_rate_limited_per_token_and_refills_with_time() {
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_API_CREATE_BURST", "2", "VFO_API_CREATE_RATE_PER_MINUTE", "1"))) {
            assertThat(api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).statusCode()).isEqualTo(201);
            assertThat(api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-2")).statusCode()).isEqualTo(201);

            HttpResponse<Buffer> limited = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-3"));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.getHeader("Retry-After")).isEqualTo("60");
            assertThat(limited.bodyAsJsonObject().getString("detail")).contains("alice");

            // Another token has its own bucket; reads are not limited.
            assertThat(api.post("/v1/migrations", ApiFixture.OTHER_OPERATOR, ApiFixture.startRequest("vm-3")).statusCode()).isEqualTo(201);
            assertThat(api.get("/v1/migrations", ApiFixture.OPERATOR).statusCode()).isEqualTo(200);

            api.nanos.addAndGet(30_000_000_000L);
            HttpResponse<Buffer> halfway = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-4"));
            assertThat(halfway.statusCode()).isEqualTo(429);
            assertThat(halfway.getHeader("Retry-After")).isEqualTo("30");

            api.nanos.addAndGet(30_000_000_000L);
            assertThat(api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-4")).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void an_unsupported_method_is_405() {
        try (ApiFixture api = ApiFixture.start()) {
            HttpResponse<Buffer> r = ApiFixture.await(api.request(HttpMethod.DELETE, "/v1/migrations", ApiFixture.OPERATOR).send());
            assertThat(r.statusCode()).isEqualTo(405);
        }
    }
}
