package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.CoordinatorMetrics;
import dev.vfo.coordinator.config.CoordinatorConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A running API on a free loopback port, in front of an {@link InMemoryDesk}, with a client. */
final class ApiFixture implements AutoCloseable {
    static final String OPERATOR = "operator-token-0123456789abcdef";
    static final String OTHER_OPERATOR = "operator-token-two-0123456789abcdef";
    static final String VIEWER = "viewer-token-0123456789abcdefgh";

    final Vertx vertx;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final CoordinatorMetrics metrics;
    final InMemoryDesk desk = new InMemoryDesk();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final ControlPlaneServer server;
    final WebClient client;
    final int port;

    private ApiFixture(Map<String, String> extra) {
        vertx = CoordinatorMetrics.vertxReportingTo(registry);
        metrics = new CoordinatorMetrics(registry, List.of("PRE_COPY", "STOP_COPY"), List.of("undecodable"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "VFO_HTTP_PORT", "0",
                "VFO_API_TOKENS", "alice:operator:" + OPERATOR + ",bob:operator:" + OTHER_OPERATOR
                        + ",carol:viewer:" + VIEWER,
                "VFO_API_CREATE_BURST", "100",
                "VFO_SSE_HEARTBEAT_MS", "50"));
        settings.putAll(extra);
        server = new ControlPlaneServer(CoordinatorConfig.from(settings), desk, registry, nanos::get);
        await(vertx.deployVerticle(server));
        port = server.actualPort();
        // Enough connections that concurrent test requests are really concurrent.
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(32));
    }

    static ApiFixture start() {
        return new ApiFixture(Map.of());
    }

    static ApiFixture start(Map<String, String> extra) {
        return new ApiFixture(extra);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<Buffer> get(String path, String token) {
        return await(request(HttpMethod.GET, path, token).send());
    }

    HttpResponse<Buffer> post(String path, String token, JsonObject body) {
        return post(path, token, body, MultiMap.caseInsensitiveMultiMap());
    }

    HttpResponse<Buffer> post(String path, String token, JsonObject body, MultiMap headers) {
        HttpRequest<Buffer> r = request(HttpMethod.POST, path, token).putHeaders(headers);
        return await(body == null ? r.send() : r.sendJsonObject(body));
    }

    HttpResponse<Buffer> postRaw(String path, String token, String contentType, Buffer body) {
        return await(request(HttpMethod.POST, path, token).putHeader("content-type", contentType).sendBuffer(body));
    }

    HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
        HttpRequest<Buffer> r = client.request(method, path);
        if (token != null) {
            r.bearerTokenAuthentication(token);
        }
        return r;
    }

    /** A valid start request for {@code vm} with one device pairing. */
    static JsonObject startRequest(String vm) {
        return new JsonObject()
                .put("vm", vm)
                .put("devices", new JsonArray().add(new JsonObject()
                        .put("source", "hostA/0000:3b:00.0").put("destination", "hostB/0000:5e:00.0")))
                .put("policy", new JsonObject()
                        .put("downtimeBudgetMs", 300)
                        .put("maxPreCopyMs", 60_000)
                        .put("onPreCopyLimit", "SWITCH_OVER")
                        .put("stepTimeoutMs", 10_000));
    }

    @Override
    public void close() {
        // Vert.x first: closing its connections cancels watches, which the desk must still take.
        await(vertx.close());
        desk.close();
    }
}
