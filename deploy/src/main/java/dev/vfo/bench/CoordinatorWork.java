package dev.vfo.bench;

import dev.vfo.core.saga.Phase;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Optional;

/**
 * The coordinator's in-process work while {@link InstantAgents} drive VMs, timed per input and
 * attributed to the phase the VM was in when the input arrived. With {@code wire}, the work
 * includes what the coordinator's loop does around the decider besides Kafka I/O: decoding each
 * agent event from its bytes, appending every decided event to the VM's hash chain (encode +
 * SHA-256) and encoding every command. Not thread-safe: one accumulator per driving thread.
 *
 * <p>Both wall time and the driving thread's CPU time are kept: on a shared, loaded machine the
 * wall time includes the time the thread waited for a core, the CPU time does not.
 */
public final class CoordinatorWork {

    /** Index of inputs that arrive with no migration in flight (registrations, the takeover, the request). */
    static final int IDLE = Phase.values().length;

    private final boolean wire;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long[] nanos = new long[IDLE + 1];
    private final long[] cpuNanos = new long[IDLE + 1];
    private final long[] inputs = new long[IDLE + 1];
    private long deviceEvents;

    public CoordinatorWork(boolean wire) {
        this.wire = wire;
    }

    public boolean wire() {
        return wire;
    }

    /** The driving thread's CPU time now, in nanoseconds. */
    static long cpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    void add(Optional<Phase> phase, long took, long cpu, boolean input, boolean deviceEvent) {
        int i = phase.map(Phase::ordinal).orElse(IDLE);
        nanos[i] += took;
        cpuNanos[i] += cpu;
        if (input) {
            inputs[i]++;
        }
        if (deviceEvent) {
            deviceEvents++;
        }
    }

    public long nanos(Optional<Phase> phase) {
        return nanos[phase.map(Phase::ordinal).orElse(IDLE)];
    }

    public long cpuNanos(Optional<Phase> phase) {
        return cpuNanos[phase.map(Phase::ordinal).orElse(IDLE)];
    }

    public long totalCpuNanos() {
        return Arrays.stream(cpuNanos).sum();
    }

    public long inputs(Optional<Phase> phase) {
        return inputs[phase.map(Phase::ordinal).orElse(IDLE)];
    }

    public long totalNanos() {
        return Arrays.stream(nanos).sum();
    }

    /** Agent events the coordinator consumed (registrations and reports), the unit of section 4. */
    public long deviceEvents() {
        return deviceEvents;
    }
}
