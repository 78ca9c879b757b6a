package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A request to migrate {@code vm}, as the desk receives it. {@code id} is assigned by the API: a
 * random one, or one derived from the caller's Idempotency-Key so a retry names the same
 * migration; the desk treats a second request with a known id as a duplicate and starts nothing.
 * {@code requestedBy} is the name of the token that asked (for the audit log).
 */
public record MigrationRequest(MigrationId id, VmId vm, List<DevicePairing> devices, MigrationPolicy policy,
        String requestedBy, Optional<String> idempotencyKey) {
    public MigrationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vm, "vm");
        devices = List.copyOf(devices);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a migration needs at least one device");
        }
        // A device named twice would be driven twice through the barrier; refuse it here so
        // the error names the device instead of surfacing as a stuck saga.
        Set<Object> seen = new HashSet<>();
        for (DevicePairing p : devices) {
            if (!seen.add(p.source())) {
                throw new IllegalArgumentException("device " + p.source() + " appears more than once");
            }
            if (!seen.add(p.destination())) {
                throw new IllegalArgumentException("device " + p.destination() + " appears more than once");
            }
        }
    }

    /** True when {@code other} asks for the same thing (ignoring who asked and the id). */
    public boolean samePlanAs(MigrationRequest other) {
        return vm.equals(other.vm) && devices.equals(other.devices) && policy.equals(other.policy);
    }
}
