package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the API shows of one migration. {@code phase} is the saga's own name for its current step
 * (the API passes it through, so the saga can refine its phases without an API change);
 * {@code phaseDurationsMs} keeps the saga's order of the phases completed so far.
 */
public record MigrationView(MigrationId id, VmId vm, MigrationStatus status, String phase,
        List<DeviceProgress> devices, MigrationPolicy policy, Instant createdAt, Optional<Instant> endedAt,
        OptionalLong downtimeMs, long bytes, Map<String, Long> phaseDurationsMs, Optional<String> reason) {
    public MigrationView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(phase, "phase");
        devices = List.copyOf(devices);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(downtimeMs, "downtimeMs");
        phaseDurationsMs = Collections.unmodifiableMap(new LinkedHashMap<>(phaseDurationsMs));
        Objects.requireNonNull(reason, "reason");
        if (status.ended() != endedAt.isPresent()) {
            throw new IllegalArgumentException("a migration has an end time exactly when it ended; status " + status
                    + ", endedAt " + endedAt);
        }
    }

    /** True when {@code request} asks for what this migration does (an idempotent replay). */
    public boolean samePlanAs(MigrationRequest request) {
        return vm.equals(request.vm()) && policy.equals(request.policy())
                && devices.stream().map(DeviceProgress::pairing).toList().equals(request.devices());
    }
}
