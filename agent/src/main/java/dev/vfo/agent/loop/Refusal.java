package dev.vfo.agent.loop;

import dev.vfo.core.protocol.CommandId;
import java.util.Objects;

/**
 * A command the agent did not carry out, and why. Refusals are logged (WARN, with the MDC keys)
 * and counted, never reported as device events: the saga treats every TransitionFailed or
 * DataTransferFailed as a fault of the migration in flight, while a refused command is one the
 * coordinator no longer waits for (see DESIGN.md).
 */
public record Refusal(Kind kind, CommandId command, String reason) {
    public enum Kind {
        /** Issued under a coordinator epoch older than the newest the agent saw for the VM. */
        STALE_EPOCH,
        /** Consumed after its deadline: the coordinator has stopped waiting and re-issues. */
        LATE,
        /** For another host (it should never be on this host's topic). */
        FOREIGN_HOST,
        /** About a device this agent does not serve. */
        UNKNOWN_DEVICE
    }

    public Refusal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(reason, "reason");
    }
}
