package dev.vfo.demo;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A client of the coordinator's REST API (openapi.yaml) over plain HTTP, with a bearer token:
 * what the demo uses to start and watch migrations, so the demo sees exactly what curl would.
 * A response other than the expected status becomes an {@link ApiProblem} carrying the status
 * and the problem body, so the caller can say what the API refused.
 */
public final class ControlPlaneClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final String token;

    public ControlPlaneClient(URI base, String token) {
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A non-2xx answer: the status and the problem document (RFC 9457) or raw body. */
    public static final class ApiProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiProblem(String request, int status, String body) {
            super(request + " answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** GET /v1/devices: the inventory the agents registered. */
    public JsonArray devices() {
        return get("/v1/devices").getJsonArray("devices");
    }

    /** POST /v1/migrations with an idempotency key, so a retried demo step starts nothing twice. */
    public JsonObject startMigration(JsonObject request) {
        HttpRequest r = authorized("/v1/migrations")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(request.encode()))
                .build();
        return json(r, send(r));
    }

    /** GET /v1/migrations/{id}. */
    public JsonObject migration(String id) {
        return get("/v1/migrations/" + id);
    }

    /** GET /v1/vms/{vm}. */
    public JsonObject vm(String vm) {
        return get("/v1/vms/" + vm);
    }

    /**
     * GET /v1/migrations/{id}/events: hands each event to {@code sink} as it arrives and returns
     * when the server ends the stream (after the migration's terminal event) or the thread is
     * interrupted.
     */
    public void followEvents(String id, Consumer<ServerSentEvent> sink) {
        HttpRequest r = authorized("/v1/migrations/" + id + "/events").header("Accept", "text/event-stream").GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(describe(r) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new ApiProblem(describe(r), response.statusCode(), in.lines().reduce("", String::concat));
            }
            ServerSentEvent.Parser parser = new ServerSentEvent.Parser(sink);
            for (String line = in.readLine(); line != null && !Thread.currentThread().isInterrupted();
                    line = in.readLine()) {
                parser.line(line);
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw new UncheckedIOException(describe(r) + ": the stream broke", e);
            }
        }
    }

    private JsonObject get(String path) {
        HttpRequest r = authorized(path).GET().build();
        return json(r, send(r));
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(describe(r) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(describe(r) + " interrupted", e);
        }
    }

    private static JsonObject json(HttpRequest r, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new ApiProblem(describe(r), response.statusCode(), response.body());
        }
        try {
            return new JsonObject(response.body());
        } catch (DecodeException e) {
            throw new IllegalStateException(describe(r) + " answered a body that is not JSON: " + response.body(), e);
        }
    }

    private static String describe(HttpRequest r) {
        return r.method() + " " + r.uri().getPath();
    }
}
