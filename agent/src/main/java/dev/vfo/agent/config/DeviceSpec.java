package dev.vfo.agent.config;

import dev.vfo.core.protocol.VmId;
import java.time.Duration;
import java.util.Objects;

/**
 * One device the agent serves, as configured: its name on the host (a PCI address for the kernel
 * backend, any id for a simulated one), the VM it belongs to, and for a simulated device its model
 * and sizes. The protocol's device id is {@code <hostId>/<name>}.
 *
 * @param stateBytes simulated only: the iterative state (pre-copy initial data)
 * @param residueBytes simulated only: what only a stopped device gives (STOP_COPY)
 * @param dirtyBytesPerSecond simulated only: how fast pre-copied state is dirtied again
 * @param flags simulated only: the raw migration flags word the device reports (drills use any
 *     of the four defined combinations, or an undefined word to see it refused)
 * @param arcLatency simulated only: how long each arc takes (fault drills widen windows with it)
 */
public record DeviceSpec(String name, VmId vm, String model, long stateBytes, long residueBytes,
        long dirtyBytesPerSecond, long flags, Duration arcLatency) {
    public static final String DEFAULT_MODEL = "vfo-sim";
    public static final long DEFAULT_STATE_BYTES = 1L << 20;
    public static final long DEFAULT_RESIDUE_BYTES = 4L << 10;
    /** STOP_COPY|P2P|PRE_COPY: every migration feature. */
    public static final long DEFAULT_FLAGS = 7;

    /** A device with every migration feature and no arc latency. */
    public DeviceSpec(String name, VmId vm, String model, long stateBytes, long residueBytes,
            long dirtyBytesPerSecond) {
        this(name, vm, model, stateBytes, residueBytes, dirtyBytesPerSecond, DEFAULT_FLAGS, Duration.ZERO);
    }

    public DeviceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(model, "model");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a device needs a name");
        }
        Objects.requireNonNull(arcLatency, "arcLatency");
        if (stateBytes < 0 || residueBytes < 0 || dirtyBytesPerSecond < 0 || arcLatency.isNegative()) {
            throw new IllegalArgumentException("device " + name + ": sizes, rates and latencies must not be negative");
        }
    }
}
