package dev.vfo.coordinator.config;

import dev.vfo.schemas.settings.KafkaPassThrough;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the loop needs to reach Kafka. {@code clientProperties} holds every {@code VFO_KAFKA_X_Y}
 * setting as the client property {@code x.y} (e.g. {@code VFO_KAFKA_SECURITY_PROTOCOL=SSL},
 * {@code VFO_KAFKA_SASL_JAAS_CONFIG=...}; see {@link KafkaPassThrough}), so TLS and SASL need no
 * code here; the loop adds its own properties (transactional id, isolation level) on top.
 */
public record KafkaSettings(String instanceId, Map<String, String> clientProperties) {
    public static final String DEFAULT_BOOTSTRAP = KafkaPassThrough.DEFAULT_BOOTSTRAP;

    public KafkaSettings {
        clientProperties = Collections.unmodifiableMap(new TreeMap<>(clientProperties));
    }

    public String bootstrapServers() {
        return new KafkaPassThrough(clientProperties).bootstrapServers();
    }

    @Override
    public String toString() {
        // Client properties carry passwords and JAAS lines; show only that they are set.
        return "KafkaSettings[instanceId=" + instanceId + ", clientProperties="
                + new KafkaPassThrough(clientProperties) + "]";
    }
}
