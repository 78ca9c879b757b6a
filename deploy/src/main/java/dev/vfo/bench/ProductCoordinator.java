package dev.vfo.bench;

import dev.vfo.coordinator.cli.CoordinatorNode;
import dev.vfo.coordinator.config.CoordinatorConfig;
import dev.vfo.schemas.settings.KafkaPassThrough;
import dev.vfo.schemas.topic.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The product's coordinator, in this JVM: {@link CoordinatorNode} started from the product's typed
 * configuration (the exactly-once {@code SagaLoop} on one thread, the read model and the REST API),
 * exactly as {@code vfo coordinator} starts it, plus any {@code VFO_KAFKA_*} setting in the bench's
 * environment (the report's description names them). Ready once {@code /health/ready} says every
 * owned partition is rebuilt.
 */
public final class ProductCoordinator implements CoordinatorUnderTest {

    @Override
    public String description() {
        List<String> overrides = System.getenv().keySet().stream().filter(k -> k.startsWith(KafkaPassThrough.PREFIX))
                .filter(k -> !k.equals("VFO_KAFKA_BOOTSTRAP_SERVERS")).sorted()
                .map(k -> k + "=" + System.getenv(k)).toList();
        return "vfo coordinator in the bench JVM (CoordinatorNode: SagaLoop on one thread, one Kafka transaction"
                + " per batch of polled records, up to 2,000; product configuration"
                + (overrides.isEmpty() ? "" : " with " + String.join(", ", overrides)) + ")";
    }

    @Override
    public AutoCloseable start(String bootstrapServers, TopicCatalog catalog) throws Exception {
        String token = "bench-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>();
        // The product's client settings can be tried as an operator would set them (e.g.
        // VFO_KAFKA_LINGER_MS=0 deploy/bin/vfo bench --sections 2); the report names them.
        System.getenv().forEach((k, v) -> {
            if (k.startsWith(KafkaPassThrough.PREFIX)) {
                settings.put(k, v);
            }
        });
        settings.put("VFO_HTTP_PORT", "0");
        settings.put("VFO_API_TOKENS", "bench:operator:" + token);
        settings.put("VFO_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        settings.put("VFO_INSTANCE_ID", "bench");
        CoordinatorNode node = CoordinatorNode.start(CoordinatorConfig.from(settings), catalog);
        try {
            awaitReady(node.port());
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < giveUp) {
            if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the coordinator was not ready within 2 minutes");
    }
}
