package dev.vfo.coordinator.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The REST API's listener and its resource limits. */
public record HttpSettings(String host, int port, int bodyLimitBytes, Optional<TlsSettings> tls,
        Duration sseHeartbeat, int sseMaxPendingEvents) {
    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sseHeartbeat, "sseHeartbeat");
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(host, newPort, bodyLimitBytes, tls, sseHeartbeat, sseMaxPendingEvents);
    }
}
