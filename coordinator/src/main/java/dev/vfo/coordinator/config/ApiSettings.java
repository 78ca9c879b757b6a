package dev.vfo.coordinator.config;

import dev.vfo.coordinator.security.TokenRegistry;
import java.util.Objects;

/** Who may use the API and how much: tokens (as digests), the creation rate, /metrics exposure. */
public record ApiSettings(TokenRegistry tokens, double createRatePerMinute, int createBurst, boolean metricsPublic) {
    public ApiSettings {
        Objects.requireNonNull(tokens, "tokens");
    }
}
