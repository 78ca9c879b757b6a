package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.vfio.MigrationCapability;
import java.util.Objects;

/** One validated device of an accepted plan: where its state comes from and where it goes. */
public record DevicePlan(DeviceId source, AgentId sourceAgent, MigrationCapability sourceCapability,
        DeviceId destination, AgentId destinationAgent, MigrationCapability destinationCapability,
        String destinationEndpoint, HostId sourceHost, HostId destinationHost) {
    public DevicePlan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(sourceAgent);
        Objects.requireNonNull(sourceCapability);
        Objects.requireNonNull(destination);
        Objects.requireNonNull(destinationAgent);
        Objects.requireNonNull(destinationCapability);
        Objects.requireNonNull(destinationEndpoint);
        Objects.requireNonNull(sourceHost);
        Objects.requireNonNull(destinationHost);
    }
}
