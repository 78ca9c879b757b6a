package dev.vfo.coordinator.loop;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for the coordinator's REST API in integration tests. */
final class Api {
    static final String OPERATOR = "operator-token-0123456789abcdef";
    static final String VIEWER = "viewer-token-0123456789abcdefgh";
    static final String TOKENS = "alice:operator:" + OPERATOR + ",carol:viewer:" + VIEWER;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;

    Api(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    HttpResponse<String> post(String path, String token, String body) {
        return send(request(path, token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The SSE stream of a migration; completes when the server ends it (the migration ended). */
    CompletableFuture<HttpResponse<String>> events(String id) {
        return http.sendAsync(request("/v1/migrations/" + id + "/events", VIEWER).header("accept", "text/event-stream")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        return token == null ? b : b.header("authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String startBody(String vm, Map<String, String> pairs, long stepTimeoutMs) {
        JsonArray devices = new JsonArray();
        pairs.forEach((s, d) -> devices.add(new JsonObject().put("source", s).put("destination", d)));
        return new JsonObject().put("vm", vm).put("devices", devices)
                .put("policy", new JsonObject().put("downtimeBudgetMs", 300).put("maxPreCopyMs", 60_000)
                        .put("onPreCopyLimit", "SWITCH_OVER").put("stepTimeoutMs", stepTimeoutMs))
                .encode();
    }

    static List<String> lines(String body) {
        return body.lines().toList();
    }
}
