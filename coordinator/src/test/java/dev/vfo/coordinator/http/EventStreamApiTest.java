package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** GET /v1/migrations/{id}/events: replay, live, heartbeats, end, resume, disconnects, slow clients. */
class EventStreamApiTest {

    /** What a test client saw: the raw text, split into SSE frames, and whether the stream ended or broke. */
    private static final class Received {
        final StringBuffer text = new StringBuffer();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final AtomicBoolean broken = new AtomicBoolean();
        volatile HttpClientResponse response;

        List<JsonObject> events() {
            List<JsonObject> events = new ArrayList<>();
            for (String frame : text.toString().split("\n\n")) {
                if (frame.isBlank() || frame.startsWith(":")) {
                    continue;
                }
                JsonObject e = new JsonObject();
                for (String line : frame.split("\n")) {
                    int colon = line.indexOf(": ");
                    e.put(line.substring(0, colon), line.substring(colon + 2));
                }
                events.add(e);
            }
            return events;
        }

        List<String> kinds() {
            return events().stream().map(e -> e.getString("event")).toList();
        }
    }

    private static Received connect(ApiFixture api, HttpClient http, String id, Map<String, String> headers) {
        Received received = new Received();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(api.port)
                .setURI("/v1/migrations/" + id + "/events").putHeader("Authorization", "Bearer " + ApiFixture.VIEWER);
        headers.forEach(options::putHeader);
        ApiFixture.await(http.request(options).compose(req -> req.send()).onSuccess(resp -> {
            received.response = resp;
            resp.handler(b -> received.text.append(b.toString()));
            resp.endHandler(v -> received.ended.complete(null));
            resp.exceptionHandler(e -> {
                received.broken.set(true);
                received.ended.complete(null);
            });
        }));
        return received;
    }

    private static String start(ApiFixture api) {
        return api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).bodyAsJsonObject().getString("id");
    }

    @Test
    void replays_what_is_known_then_streams_live_until_the_migration_ends() {
        try (ApiFixture api = ApiFixture.start()) {
            String id = start(api);
            MigrationId m = new MigrationId(id);
            api.desk.publish(m, "BarrierReached", new JsonObject().put("devices", 1), false);
            HttpClient http = api.vertx.createHttpClient();

            Received r = connect(api, http, id, Map.of());
            assertThat(r.response.statusCode()).isEqualTo(200);
            assertThat(r.response.getHeader("content-type")).isEqualTo("text/event-stream");
            await().atMost(Duration.ofSeconds(5)).until(() -> r.events().size() == 2);
            assertThat(r.kinds()).containsExactly("MigrationStarted", "BarrierReached");

            api.desk.publish(m, "StopCopyDone", new JsonObject().put("bytes", 4096), false);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.events().size() == 3);
            // Heartbeat comments keep idle proxies from closing the stream.
            await().atMost(Duration.ofSeconds(5)).until(() -> r.text.toString().contains(": heartbeat"));

            api.desk.publish(m, "MigrationSucceeded", new JsonObject(), true);
            ApiFixture.await(io.vertx.core.Future.fromCompletionStage(r.ended));

            assertThat(r.broken).isFalse();
            assertThat(r.kinds()).containsExactly("MigrationStarted", "BarrierReached", "StopCopyDone", "MigrationSucceeded");
            assertThat(r.events()).extracting(e -> e.getString("id")).containsExactly("1", "2", "3", "4");
            JsonObject data = new JsonObject(r.events().get(2).getString("data"));
            assertThat(data.getString("migration")).isEqualTo(id);
            assertThat(data.getJsonObject("data").getLong("bytes")).isEqualTo(4096L);
            assertThat(new JsonObject(r.events().get(3).getString("data")).getBoolean("terminal")).isTrue();
        }
    }

    @Test
    void last_event_id_resumes_after_that_event() {
        try (ApiFixture api = ApiFixture.start()) {
            String id = start(api);
            MigrationId m = new MigrationId(id);
            api.desk.publish(m, "BarrierReached", new JsonObject(), false);
            api.desk.publish(m, "StopCopyDone", new JsonObject(), false);

            Received r = connect(api, api.vertx.createHttpClient(), id, Map.of("Last-Event-ID", "2"));

            await().atMost(Duration.ofSeconds(5)).until(() -> r.events().size() == 1);
            assertThat(r.kinds()).containsExactly("StopCopyDone");
        }
    }

    @Test
    void a_client_that_disconnects_is_unsubscribed() {
        try (ApiFixture api = ApiFixture.start()) {
            String id = start(api);
            MigrationId m = new MigrationId(id);
            HttpClient http = api.vertx.createHttpClient();
            Received r = connect(api, http, id, Map.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> api.desk.watcherCount(m) == 1);

            ApiFixture.await(r.response.request().connection().close());

            await().atMost(Duration.ofSeconds(5)).until(() -> api.desk.watcherCount(m) == 0);
            // Publishing after the client left touches nothing that is gone.
            api.desk.publish(m, "BarrierReached", new JsonObject(), false);
            assertThat(api.get("/v1/migrations/" + id, ApiFixture.VIEWER).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_client_that_does_not_read_is_dropped_instead_of_buffered() {
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_SSE_MAX_PENDING_EVENTS", "16"))) {
            String id = start(api);
            MigrationId m = new MigrationId(id);
            Received r = connect(api, api.vertx.createHttpClient(), id, Map.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> api.desk.watcherCount(m) == 1);
            r.response.pause();

            JsonObject bulky = new JsonObject().put("blob", "x".repeat(64 * 1024));
            for (int i = 0; i < 400 && api.desk.watcherCount(m) > 0; i++) {
                api.desk.publish(m, "PreCopyProgress", bulky, false);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> api.desk.watcherCount(m) == 0);
            r.response.resume();
            ApiFixture.await(io.vertx.core.Future.fromCompletionStage(r.ended));
            assertThat(r.broken).as("the server cut the connection").isTrue();
            assertThat(r.events().size()).isLessThan(400);
        }
    }
}
