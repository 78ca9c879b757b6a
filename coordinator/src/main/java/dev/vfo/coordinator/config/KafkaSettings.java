package dev.vfo.coordinator.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the loop needs to reach Kafka. {@code clientProperties} holds every {@code VFO_KAFKA_X_Y}
 * setting as the client property {@code x.y} (e.g. {@code VFO_KAFKA_SECURITY_PROTOCOL=SSL},
 * {@code VFO_KAFKA_SASL_JAAS_CONFIG=...}), so TLS and SASL need no code here; the loop adds its own
 * properties (transactional id, isolation level) on top.
 */
public record KafkaSettings(String instanceId, Map<String, String> clientProperties) {
    public static final String PREFIX = "VFO_KAFKA_";
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    public KafkaSettings {
        clientProperties = Collections.unmodifiableMap(new TreeMap<>(clientProperties));
    }

    public String bootstrapServers() {
        return clientProperties.getOrDefault("bootstrap.servers", DEFAULT_BOOTSTRAP);
    }

    /** {@code VFO_KAFKA_SSL_KEYSTORE_LOCATION} → {@code ssl.keystore.location}. */
    static String propertyName(String variable) {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    @Override
    public String toString() {
        // Client properties carry passwords and JAAS lines; show only that they are set.
        return "KafkaSettings[instanceId=" + instanceId + ", clientProperties="
                + clientProperties.entrySet().stream()
                        .map(e -> e.getKey() + "=" + (secret(e.getKey()) ? "***" : e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"))
                + "]";
    }

    private static boolean secret(String key) {
        return key.contains("password") || key.contains("jaas") || key.contains("secret") || key.endsWith(".key");
    }
}
