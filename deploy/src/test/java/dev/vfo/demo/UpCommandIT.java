package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vfo up} in its own process, as an operator runs it: read the address and the token it
 * prints, curl the API with them (HttpClient here), then stop it with SIGTERM. The process runs on
 * this test's class path rather than the packaged jar, so the test also holds when run before
 * {@code package} (the launcher itself is VfoLauncherIT's subject).
 */
class UpCommandIT {

    @TempDir
    Path elsewhere;

    @Test
    void answersTheRestApiWithThePrintedToken() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.vfo.cli.Vfo", "up", "--port", "0")
                .directory(elsewhere.toFile())
                .redirectError(elsewhere.resolve("err").toFile());
        Process up = pb.start();
        try {
            Map<String, String> printed = new HashMap<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null && !line.startsWith("Try:"); line = out.readLine()) {
                    String[] words = line.strip().split("\\s+");
                    if (line.strip().startsWith("REST API")) {
                        printed.put("api", words[2]);
                    } else if (line.strip().startsWith("operator token")) {
                        printed.put("token", words[2]);
                    }
                }
                for (String line = out.readLine(); line != null && !line.startsWith("Ctrl-C"); line = out.readLine()) {
                    int body = line.indexOf("-d '");
                    if (body >= 0) {
                        printed.put("body", line.substring(body + 4, line.lastIndexOf('\'')));
                    }
                }
                assertThat(printed).as(java.nio.file.Files.readString(elsewhere.resolve("err")))
                        .containsKeys("api", "token");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> devices = http.send(HttpRequest.newBuilder(URI.create(printed.get("api")
                        + "/v1/devices")).header("Authorization", "Bearer " + printed.get("token")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(devices.statusCode()).isEqualTo(200);
                assertThat(devices.body()).startsWith("{\"devices\":[");
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(printed.get("api")
                        + "/v1/devices")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);

                // The printed request body migrates the printed VM through the simulated hosts.
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(printed.get("api")
                        + "/v1/migrations")).header("Authorization", "Bearer " + printed.get("token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(printed.get("body"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String id = new JsonObject(created.body()).getString("id");
                ControlPlaneClient client = new ControlPlaneClient(URI.create(printed.get("api")), printed.get("token"));
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !"ACTIVE".equals(client.migration(id).getString("status")));
                assertThat(client.migration(id).getString("status")).isEqualTo("SUCCEEDED");
            }
        } finally {
            up.destroy();
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("vfo up stops on SIGTERM").isTrue();
        }
    }
}
