package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.VmId;
import java.util.Objects;
import java.util.Optional;

/** Which migrations a listing wants: of one VM, in one status, at most {@code limit}, newest first. */
public record MigrationFilter(Optional<VmId> vm, Optional<MigrationStatus> status, int limit) {
    public MigrationFilter {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(status, "status");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    public boolean matches(MigrationView m) {
        return vm.map(m.vm()::equals).orElse(true) && status.map(s -> s == m.status()).orElse(true);
    }
}
