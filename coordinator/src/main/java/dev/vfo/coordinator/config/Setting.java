package dev.vfo.coordinator.config;

import dev.vfo.schemas.settings.Definition;

/**
 * Every setting of the coordinator, with its variable name and default (empty: unset). Kafka
 * client properties have no entry: any {@code VFO_KAFKA_X_Y} becomes the client property
 * {@code x.y} (see {@link KafkaSettings}).
 */
public enum Setting implements Definition {
    CONFIG_FILE("VFO_CONFIG_FILE", "", "A file of VFO_KEY=value lines (systemd EnvironmentFile= syntax) with any of these settings; the environment overrides it."),
    HTTP_HOST("VFO_HTTP_HOST", "127.0.0.1", "Address the REST API binds to."),
    HTTP_PORT("VFO_HTTP_PORT", "8080", "Port of the REST API (0 picks a free one)."),
    HTTP_BODY_LIMIT_BYTES("VFO_HTTP_BODY_LIMIT_BYTES", "65536", "Largest request body accepted; larger gets 413."),
    HTTP_TLS_CERT("VFO_HTTP_TLS_CERT", "", "PEM certificate chain; set with VFO_HTTP_TLS_KEY to serve HTTPS."),
    HTTP_TLS_KEY("VFO_HTTP_TLS_KEY", "", "PEM private key (PKCS#8) of the certificate."),
    HTTP_TLS_CLIENT_CA("VFO_HTTP_TLS_CLIENT_CA", "", "PEM CA bundle; when set, clients must present a certificate it signed."),
    API_TOKENS("VFO_API_TOKENS", "", "Bearer tokens, name:role:token entries separated by commas."),
    API_TOKEN_FILE("VFO_API_TOKEN_FILE", "", "File of bearer tokens, one name:role:token per line."),
    API_CREATE_RATE_PER_MINUTE("VFO_API_CREATE_RATE_PER_MINUTE", "30", "Migrations one token may start per minute."),
    API_CREATE_BURST("VFO_API_CREATE_BURST", "10", "Migrations one token may start at once."),
    METRICS_PUBLIC("VFO_METRICS_PUBLIC", "false", "Serve /metrics without a token (true) or to viewers only (false)."),
    SSE_HEARTBEAT_MS("VFO_SSE_HEARTBEAT_MS", "15000", "Interval of heartbeat comments on event streams."),
    SSE_MAX_PENDING_EVENTS("VFO_SSE_MAX_PENDING_EVENTS", "1024", "Events buffered for one slow stream client before it is dropped."),
    TOPIC_NAMESPACE("VFO_TOPIC_NAMESPACE", "vfo", "Topic name prefix; every process of one installation uses the same."),
    TOPIC_PARTITIONS("VFO_TOPIC_PARTITIONS", "12", "Partitions of the VM-keyed topics (fixed when they are created)."),
    INSTANCE_ID("VFO_INSTANCE_ID", "coordinator-1", "This coordinator's stable name (transactional id prefix)."),
    LOG_FORMAT("VFO_LOG_FORMAT", "plain", "plain or json (read by the logback configuration).");

    private final Spec spec;

    Setting(String variable, String defaultValue, String description) {
        this.spec = new Spec(variable, defaultValue, description);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
