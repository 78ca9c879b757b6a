package dev.vfo.agent.state;

import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;

/** The last event the agent recorded for a device: its sequence number and the state it reported. */
public record DeviceMark(long sequence, MigrationState state) {
    public DeviceMark {
        Objects.requireNonNull(state, "state");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequences start at 1");
        }
    }
}
