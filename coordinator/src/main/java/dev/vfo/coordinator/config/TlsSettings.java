package dev.vfo.coordinator.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** HTTPS for the API: PEM certificate and key, and optionally the CA client certificates must chain to. */
public record TlsSettings(Path certificate, Path privateKey, Optional<Path> clientCa) {
    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(clientCa, "clientCa");
    }

    public boolean requiresClientCertificate() {
        return clientCa.isPresent();
    }
}
