package dev.vfo.core.sim;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Optional;

/**
 * One device as a faithful agent reports it: its real state, and the events about it, each
 * numbered with the device's next sequence. Every agent model of the project (the simulator's
 * timed and faulty agents, {@link FaithfulDevices}' zero-latency ones) builds its events here, so
 * they all number and shape them the way the saga expects.
 *
 * <p>Mutable and not thread-safe: one agent owns it.
 */
public final class FaithfulDevice {
    private final VmId vm;
    private final HostId host;
    private final AgentId agent;
    private final DeviceId id;
    private final long flags;
    private final Optional<MigrationCapability> capability;
    private final String model;
    private final long initialBytes;
    private final long stopCopyBytes;
    private MigrationState state = MigrationState.RUNNING;
    private long sequence;

    public FaithfulDevice(VmId vm, HostId host, AgentId agent, DeviceId id, long flags, String model,
            long initialBytes, long stopCopyBytes) {
        this.vm = vm;
        this.host = host;
        this.agent = agent;
        this.id = id;
        this.flags = flags;
        // Undefined flag combinations are kept (the agent reports them; the saga refuses the device).
        this.capability = new MigrationFlags(flags).read() instanceof FlagsReading.Defined d
                ? Optional.of(d.capability()) : Optional.empty();
        this.model = model;
        this.initialBytes = initialBytes;
        this.stopCopyBytes = stopCopyBytes;
    }

    public DeviceId id() {
        return id;
    }

    public HostId host() {
        return host;
    }

    public AgentId agent() {
        return agent;
    }

    public long flags() {
        return flags;
    }

    public Optional<MigrationCapability> capability() {
        return capability;
    }

    public long initialBytes() {
        return initialBytes;
    }

    public long stopCopyBytes() {
        return stopCopyBytes;
    }

    /** The device's real state (what the kernel would read back). */
    public MigrationState state() {
        return state;
    }

    /** Sets the real state: the agent's arc landed, or a test or fault put the device there. */
    public void state(MigrationState s) {
        state = s;
    }

    /** The sequence of the last event about this device. */
    public long sequence() {
        return sequence;
    }

    /** Claims the next sequence, for an event built elsewhere (a test's hand-made report). */
    public long nextSequence() {
        return ++sequence;
    }

    public AgentEvent.DeviceRegistered registered(Instant now) {
        return new AgentEvent.DeviceRegistered(host, agent, vm, id, ++sequence, now,
                "0000:3b:00." + id.value().length(), "mlx5_vfio_pci", model, flags, stopCopyBytes, state,
                host.value() + ":7000");
    }

    public AgentEvent.DeviceStateChanged changed(Optional<CommandId> answers, MigrationState from, MigrationState to,
            Instant startedAt, Instant now) {
        return new AgentEvent.DeviceStateChanged(host, agent, vm, id, ++sequence, now, answers, from, to, startedAt, 0,
                Optional.empty());
    }

    public AgentEvent.TransitionFailed failed(Optional<CommandId> answers, MigrationState from, MigrationState requested,
            int errno, MigrationState readBack, String detail, Instant now) {
        return new AgentEvent.TransitionFailed(host, agent, vm, id, ++sequence, now, answers, from, requested, errno,
                readBack, detail);
    }

    public AgentEvent.PreCopyProgress preCopy(MigrationId migration, long dirtyBytes, long sentBytes, Instant now) {
        return new AgentEvent.PreCopyProgress(host, agent, vm, id, ++sequence, now, migration, initialBytes, dirtyBytes,
                stopCopyBytes, sentBytes);
    }

    public AgentEvent.DataTransferCompleted streamed(MigrationId migration, CommandId answers,
            AgentEvent.Direction direction, long bytes, String sha256, Instant now) {
        return new AgentEvent.DataTransferCompleted(host, agent, vm, id, ++sequence, now, migration, answers, direction,
                bytes, sha256);
    }

    public AgentEvent.DataTransferFailed streamFailed(MigrationId migration, CommandId answers,
            AgentEvent.Direction direction, long bytes, String reason, Instant now) {
        return new AgentEvent.DataTransferFailed(host, agent, vm, id, ++sequence, now, migration, answers, direction,
                bytes, reason);
    }

    public AgentEvent.DeviceStatus status() {
        return new AgentEvent.DeviceStatus(id, state, sequence);
    }

    /** The digest a stream of {@code device}'s state for {@code migration} carries (the same on both ends). */
    public static String sha(MigrationId migration, DeviceId device) {
        return Integer.toHexString((migration.value() + "/" + device.value()).hashCode());
    }
}
