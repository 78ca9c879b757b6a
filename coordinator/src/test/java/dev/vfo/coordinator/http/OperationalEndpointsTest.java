package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vfo.coordinator.api.Readiness;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /openapi.yaml, /health/live, /health/ready and /metrics. */
class OperationalEndpointsTest {

    @Test
    void the_contract_is_served_verbatim_without_a_token() throws IOException {
        try (ApiFixture api = ApiFixture.start(); InputStream in = getClass().getClassLoader()
                .getResourceAsStream(ControlPlaneServer.CONTRACT)) {
            HttpResponse<Buffer> r = api.get("/openapi.yaml", null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.getHeader("content-type")).startsWith("application/yaml");
            assertThat(r.body().getBytes()).isEqualTo(in.readAllBytes());
            assertThat(r.bodyAsString()).startsWith("openapi: 3.1.0").contains("application/problem+json", "text/event-stream");
        }
    }

    @Test
    void liveness_is_up_and_readiness_follows_the_desk() {
        try (ApiFixture api = ApiFixture.start()) {
            assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);

            HttpResponse<Buffer> replaying = api.get("/health/ready", null);
            assertThat(replaying.statusCode()).isEqualTo(503);
            assertThat(replaying.bodyAsString()).contains("replaying the log");

            api.desk.readiness = new Readiness(true, true, "caught up");
            await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/health/ready", null).statusCode() == 200);
            assertThat(api.get("/health/ready", null).bodyAsJsonObject().getString("status")).isEqualTo("UP");

            api.desk.readiness = new Readiness(true, false, "partitions revoked");
            assertThat(api.get("/health/ready", null).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void metrics_show_the_domain_meters_to_viewers() {
        try (ApiFixture api = ApiFixture.start()) {
            api.metrics.phaseCompleted("PRE_COPY", Duration.ofMillis(1500));
            api.metrics.barrierReached(Duration.ofMillis(12));
            api.metrics.inFlightMigrations(3);
            api.metrics.consumerLag(42);
            api.metrics.eventRejected("undecodable");
            api.get("/v1/devices", ApiFixture.VIEWER);

            assertThat(api.get("/metrics", null).statusCode()).isEqualTo(401);
            HttpResponse<Buffer> r = api.get("/metrics", ApiFixture.VIEWER);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsString()).contains(
                    "vfo_migration_phase_duration_seconds_bucket{phase=\"PRE_COPY\"",
                    "vfo_migration_phase_duration_seconds_count{phase=\"STOP_COPY\"} 0",
                    "vfo_barrier_wait_seconds_count 1",
                    "vfo_migrations_in_flight 3",
                    "vfo_consumer_lag_records 42",
                    "vfo_events_rejected_total{reason=\"undecodable\"} 1",
                    "vertx_http_server_requests_total");
        }
    }

    @Test
    void metrics_can_be_public() {
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_METRICS_PUBLIC", "true"))) {
            assertThat(api.get("/metrics", null).statusCode()).isEqualTo(200);
        }
    }
}
