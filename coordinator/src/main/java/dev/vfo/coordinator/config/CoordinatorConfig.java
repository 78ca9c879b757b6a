package dev.vfo.coordinator.config;

import dev.vfo.coordinator.security.TokenRegistry;
import dev.vfo.schemas.settings.Settings;
import dev.vfo.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's configuration: one typed value per process, built by {@link #load(Map)} from
 * the environment over the settings file it names ({@code VFO_CONFIG_FILE}, systemd
 * {@code EnvironmentFile=} syntax), or by {@link #from(Map)} from plain settings in tests. The
 * mechanics (file, overlay, unknown names, all problems at once, Kafka pass-through, secrets) are
 * the shared ones of {@link dev.vfo.schemas.settings.Settings}; what is here is the coordinator's
 * own settings and their types.
 */
public record CoordinatorConfig(HttpSettings http, ApiSettings api, KafkaSettings kafka, TopicCatalog topics, LogFormat logFormat) {
    /** Variable prefixes this process owns: an unknown name under them is a typo, not someone else's. */
    private static final List<String> OWNED_PREFIXES = List.of("VFO_HTTP_", "VFO_API_", "VFO_SSE_", "VFO_METRICS_");

    public CoordinatorConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(logFormat, "logFormat");
    }

    /** The defaults, as if no variable were set. */
    public static CoordinatorConfig defaults() {
        return from(Map.of());
    }

    /**
     * From {@code environment} (pass {@code System.getenv()}), after the settings file named by
     * {@code VFO_CONFIG_FILE}, if any: a variable overrides the same name in the file.
     */
    public static CoordinatorConfig load(Map<String, String> environment) {
        return read(Settings.load(environment, Optional.empty()));
    }

    /** From settings alone (no file, no environment): what tests use. */
    public static CoordinatorConfig from(Map<String, String> settings) {
        return read(Settings.of(settings));
    }

    private static CoordinatorConfig read(Settings r) {
        r.rejectUnknown(OWNED_PREFIXES, Settings.all(Setting.class));
        Optional<TlsSettings> tls = tls(r);
        HttpSettings http = new HttpSettings(
                r.text(Setting.HTTP_HOST),
                r.integer(Setting.HTTP_PORT, 0, 65535),
                r.integer(Setting.HTTP_BODY_LIMIT_BYTES, 256, 64 * 1024 * 1024),
                tls,
                Duration.ofMillis(r.integer(Setting.SSE_HEARTBEAT_MS, 10, 3_600_000)),
                r.integer(Setting.SSE_MAX_PENDING_EVENTS, 1, 1_000_000));
        ApiSettings api = new ApiSettings(
                tokens(r),
                r.decimal(Setting.API_CREATE_RATE_PER_MINUTE, 0.001, 1_000_000),
                r.integer(Setting.API_CREATE_BURST, 1, 1_000_000),
                r.bool(Setting.METRICS_PUBLIC));
        KafkaSettings kafka = new KafkaSettings(r.text(Setting.INSTANCE_ID), r.kafka().properties());
        TopicCatalog topics = topics(r);
        LogFormat logFormat = r.choice(Setting.LOG_FORMAT, LogFormat.class);
        r.throwIfInvalid("coordinator");
        return new CoordinatorConfig(http, api, kafka, topics, logFormat);
    }

    private static TopicCatalog topics(Settings r) {
        String namespace = r.text(Setting.TOPIC_NAMESPACE);
        int partitions = r.integer(Setting.TOPIC_PARTITIONS, 1, 10_000);
        try {
            return new TopicCatalog(namespace, partitions, Optional.empty());
        } catch (IllegalArgumentException e) {
            r.problem(Setting.TOPIC_NAMESPACE, "'" + namespace + "': " + e.getMessage());
            return TopicCatalog.defaults();
        }
    }

    private static Optional<TlsSettings> tls(Settings r) {
        Optional<Path> cert = r.readablePath(Setting.HTTP_TLS_CERT);
        Optional<Path> key = r.readablePath(Setting.HTTP_TLS_KEY);
        Optional<Path> ca = r.readablePath(Setting.HTTP_TLS_CLIENT_CA);
        if (cert.isPresent() != key.isPresent()) {
            r.problem(Setting.HTTP_TLS_CERT.variable() + " and " + Setting.HTTP_TLS_KEY.variable()
                    + " must be set together");
            return Optional.empty();
        }
        if (ca.isPresent() && cert.isEmpty()) {
            r.problem(Setting.HTTP_TLS_CLIENT_CA.variable() + " needs TLS: set " + Setting.HTTP_TLS_CERT.variable()
                    + " and " + Setting.HTTP_TLS_KEY.variable());
            return Optional.empty();
        }
        return cert.map(c -> new TlsSettings(c, key.orElseThrow(), ca));
    }

    private static TokenRegistry tokens(Settings r) {
        TokenRegistry tokens = TokenRegistry.empty();
        try {
            Optional<String> inline = r.optional(Setting.API_TOKENS);
            if (inline.isPresent()) {
                tokens = TokenRegistry.parse(inline.get(), Setting.API_TOKENS.variable());
            }
            Optional<Path> file = r.readablePath(Setting.API_TOKEN_FILE);
            if (file.isPresent() && Files.isReadable(file.get())) {
                String text = Files.readString(file.get(), StandardCharsets.UTF_8);
                tokens = tokens.with(TokenRegistry.parse(text, file.get().toString()));
            }
        } catch (IllegalArgumentException | IOException e) {
            r.problem(e.getMessage());
        }
        return tokens;
    }
}
