package dev.vfo.agent.device;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a {@link DeviceStepper} reports into the protocol's device events, for one device of
 * one VM on this host. The caller supplies each event's sequence number (it persists the counter)
 * and the command the walk answers.
 *
 * <p>A read-back that itself failed is reported as ERROR: the agent no longer knows where the
 * device is, and only a reset (which returns it to RUNNING from anywhere) is known to recover it,
 * so the coordinator must treat it as ERROR; the detail says the state was not read.
 */
public record DeviceEvents(HostId host, AgentId agent, VmId vm, DeviceId device) {
    public DeviceEvents {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(device, "device");
    }

    /** DeviceStateChanged for one completed arc. */
    public AgentEvent.DeviceStateChanged stateChanged(long sequence, Optional<CommandId> answers, ArcReport arc) {
        return new AgentEvent.DeviceStateChanged(host, agent, vm, device, sequence, arc.finishedAt(), answers,
                arc.arc().from(), arc.arc().to(), arc.startedAt(), arc.bytes(), arc.sha256());
    }

    /** TransitionFailed for the arc that failed a walk, with the state read back after it. */
    public AgentEvent.TransitionFailed transitionFailed(long sequence, Instant at, Optional<CommandId> answers,
            Walk.Failed failed) {
        MigrationState readBack = failed.readBack().ok().orElse(MigrationState.ERROR);
        String detail = failed.detail() + failed.readBack().failure()
                .map(f -> "; the state could not be read back (" + f + "), reported as ERROR").orElse("");
        return new AgentEvent.TransitionFailed(host, agent, vm, device, sequence, at, answers, failed.arc().from(),
                failed.arc().to(), failed.errno(), readBack, Errno.describe(failed.errno()) + ": " + detail);
    }
}
