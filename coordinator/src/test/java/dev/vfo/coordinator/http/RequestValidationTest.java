package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests that break the contract get 400 with {@code field} pointing at what is wrong. */
class RequestValidationTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                bad("missing required field", r -> r.remove("vm"), "/body/vm"),
                bad("missing nested field", r -> r.getJsonObject("policy").remove("stepTimeoutMs"), "/body/policy/stepTimeoutMs"),
                bad("wrong type", r -> r.getJsonObject("policy").put("downtimeBudgetMs", "fast"), "/body/policy/downtimeBudgetMs"),
                bad("below minimum", r -> r.getJsonObject("policy").put("stepTimeoutMs", 5), "/body/policy/stepTimeoutMs"),
                bad("unknown enum", r -> r.getJsonObject("policy").put("onPreCopyLimit", "PANIC"), "/body/policy/onPreCopyLimit"),
                bad("bad id pattern", r -> r.put("vm", "vm 1; rm -rf"), "/body/vm"),
                bad("id too long", r -> r.put("vm", "v".repeat(129)), "/body/vm"),
                bad("bad device id", r -> r.getJsonArray("devices").getJsonObject(0).put("source", "a\"b"), "/body/devices/0/source"),
                bad("mass assignment at the top", r -> r.put("status", "SUCCEEDED"), "/body/status"),
                bad("mass assignment in a device", r -> r.getJsonArray("devices").getJsonObject(0).put("state", "RUNNING"),
                        "/body/devices/0/state"),
                bad("mass assignment in the policy", r -> r.getJsonObject("policy").put("epoch", 9), "/body/policy/epoch"),
                bad("too many devices", r -> r.put("devices", pairings(17)), "/body/devices"),
                bad("no devices", r -> r.put("devices", new JsonArray()), "/body/devices"),
                bad("a device named twice", r -> r.put("devices", pairings(2).add(new JsonObject()
                        .put("source", "other").put("destination", "d0"))), "/body/devices/2/destination"),
                bad("a device as its own destination", r -> r.getJsonArray("devices").getJsonObject(0)
                        .put("destination", r.getJsonArray("devices").getJsonObject(0).getString("source")),
                        "/body/devices/0/destination"));
    }

    private static Arguments bad(String name, Consumer<JsonObject> breakIt, String field) {
        Function<String, JsonObject> request = vm -> {
            JsonObject r = ApiFixture.startRequest(vm);
            breakIt.accept(r);
            return r;
        };
        return Arguments.of(name, request, field);
    }

    private static JsonArray pairings(int n) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < n; i++) {
            a.add(new JsonObject().put("source", "s" + i).put("destination", "d" + i));
        }
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void a_bad_body_is_400_naming_the_field(String name, Function<String, JsonObject> request, String field) {
        HttpResponse<Buffer> r = api.post("/v1/migrations", ApiFixture.OPERATOR, request.apply("vm-valid"));

        assertBadField(r, field);
        assertThat(api.desk.submits.get()).as("nothing invalid reaches the desk").isZero();
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("/v1/migrations/bad%20id", "/path/id"),
                Arguments.of("/v1/migrations/" + "x".repeat(200) + "/events", "/path/id"),
                Arguments.of("/v1/vms/vm%22", "/path/vm"),
                Arguments.of("/v1/migrations?state=DANCING", "/query/state"),
                Arguments.of("/v1/migrations?vm=a%20b", "/query/vm"),
                Arguments.of("/v1/migrations?limit=0", "/query/limit"),
                Arguments.of("/v1/migrations?limit=many", "/query/limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void a_bad_parameter_is_400_naming_it(String path, String field) {
        assertBadField(api.get(path, ApiFixture.VIEWER), field);
    }

    @Test
    void a_bad_idempotency_key_is_400_naming_the_header() {
        HttpResponse<Buffer> r = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"),
                MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "has spaces"));
        assertBadField(r, "/header/Idempotency-Key");
    }

    @Test
    void a_body_that_is_not_json_or_missing_is_400_on_the_body() {
        assertBadField(api.postRaw("/v1/migrations", ApiFixture.OPERATOR, "application/json", Buffer.buffer("{nope")), "/body");
        assertBadField(api.post("/v1/migrations", ApiFixture.OPERATOR, null), "/body");
    }

    private static void assertBadField(HttpResponse<Buffer> r, String field) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        assertThat(r.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
        JsonObject problem = r.bodyAsJsonObject();
        assertThat(problem.getString("field")).isEqualTo(field);
        assertThat(problem.getInteger("status")).isEqualTo(400);
        if (!field.equals("/body")) {
            // The message itself names the field, for clients that only show the detail.
            assertThat(problem.getString("detail")).contains(field);
        }
    }
}
