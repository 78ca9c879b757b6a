package dev.vfo.coordinator.api;

import java.util.Objects;

/**
 * Whether the desk can answer truthfully: its state is rebuilt from the log and it owns its
 * partitions. Until then the API reports not ready, so a load balancer keeps traffic away from
 * an instance that would answer from a half-replayed state.
 */
public record Readiness(boolean stateRebuilt, boolean partitionsAssigned, String detail) {
    public Readiness {
        Objects.requireNonNull(detail, "detail");
    }

    public boolean ready() {
        return stateRebuilt && partitionsAssigned;
    }
}
