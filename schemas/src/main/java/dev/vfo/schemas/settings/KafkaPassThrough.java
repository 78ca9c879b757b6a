package dev.vfo.schemas.settings;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Kafka client properties an operator passes through: every {@code VFO_KAFKA_X_Y} setting is
 * the client property {@code x.y} ({@code VFO_KAFKA_SSL_KEYSTORE_LOCATION} is
 * {@code ssl.keystore.location}), so TLS, SASL and tuning need no code. A process builds each
 * client's configuration with {@link #clientConfig}: its defaults, then these, then the
 * properties its guarantees rest on, which a pass-through cannot weaken.
 */
public record KafkaPassThrough(Map<String, String> properties) {
    public static final String PREFIX = "VFO_KAFKA_";
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    public KafkaPassThrough {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public static KafkaPassThrough none() {
        return new KafkaPassThrough(Map.of());
    }

    /** The {@code VFO_KAFKA_*} variables among {@code settings}, as client properties. */
    public static KafkaPassThrough of(Map<String, String> settings) {
        Map<String, String> props = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.length() > PREFIX.length()) {
                props.put(propertyName(k), v.strip());
            }
        });
        return new KafkaPassThrough(props);
    }

    /** {@code VFO_KAFKA_SSL_KEYSTORE_LOCATION} → {@code ssl.keystore.location}. */
    public static String propertyName(String variable) {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public String bootstrapServers() {
        return properties.getOrDefault("bootstrap.servers", DEFAULT_BOOTSTRAP);
    }

    /** This pass-through with {@code bootstrap.servers} replaced (a command-line option wins). */
    public KafkaPassThrough withBootstrapServers(String servers) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("bootstrap.servers", servers);
        return new KafkaPassThrough(p);
    }

    /** One client's configuration: {@code defaults}, overridden by the pass-through, overridden by {@code forced}. */
    public Map<String, Object> clientConfig(Map<String, ?> defaults, Map<String, ?> forced) {
        Map<String, Object> c = new HashMap<>(defaults);
        c.putAll(properties);
        c.putAll(forced);
        return c;
    }

    @Override
    public String toString() {
        return properties.entrySet().stream().map(e -> e.getKey() + "=" + Secrets.shown(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
