package dev.vfo.core.protocol;

import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an agent reports about its host's devices. Every event names the host and agent that
 * produced it and the VM it concerns (the Kafka key: everything one migration must order lands in
 * one partition).
 *
 * <p>Java 17 has no pattern matching for switch, so exhaustive handling is a {@code switch} over
 * {@link #kind()}: the compiler rejects a switch expression that misses a kind.
 */
public sealed interface AgentEvent {

    HostId host();

    AgentId agent();

    VmId vm();

    Instant at();

    Kind kind();

    enum Kind {
        DEVICE_REGISTERED,
        DEVICE_STATE_CHANGED,
        TRANSITION_FAILED,
        PRE_COPY_PROGRESS,
        DATA_TRANSFER_PROGRESS,
        DATA_TRANSFER_COMPLETED,
        DATA_TRANSFER_FAILED,
        AGENT_HEARTBEAT
    }

    /**
     * An event about one device. {@code sequence} counts the device's events from 1 with no gaps
     * or repeats (the agent persists it), so a reader can prove it saw every one.
     */
    sealed interface DeviceEvent extends AgentEvent {
        DeviceId device();

        long sequence();
    }

    /** Which side of a device-state transfer an agent is on. */
    enum Direction {
        /** Reading the saving data fd of a source device and sending it. */
        SEND,
        /** Receiving and writing into the resuming data fd of a destination device. */
        RECEIVE
    }

    /**
     * The agent found a device and serves it for {@code vm}. {@code migrationFlags} is the raw u64
     * the kernel reported, unmasked. {@code model} identifies the device kind (e.g. PCI
     * vendor:device), which source and destination must share. {@code transferEndpoint} is where
     * this agent accepts device-state streams (host:port).
     */
    record DeviceRegistered(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            String pciAddress, String driver, String model, long migrationFlags, long stopCopySizeEstimate,
            MigrationState state, String transferEndpoint) implements DeviceEvent {
        public DeviceRegistered {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(pciAddress);
            Objects.requireNonNull(driver);
            Objects.requireNonNull(model);
            Objects.requireNonNull(state);
            Objects.requireNonNull(transferEndpoint);
        }

        @Override
        public Kind kind() {
            return Kind.DEVICE_REGISTERED;
        }
    }

    /**
     * The device completed one kernel arc {@code from>to}. {@code answers} is the command it
     * carries out (empty for changes the agent made on its own, e.g. a reset on shutdown).
     * {@code bytes} is what the data session moved on this arc; {@code sha256} is set when the arc
     * completed a data stream (hex).
     */
    record DeviceStateChanged(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            Optional<CommandId> answers, MigrationState from, MigrationState to, Instant startedAt,
            long bytes, Optional<String> sha256) implements DeviceEvent {
        public DeviceStateChanged {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(answers);
            Objects.requireNonNull(from);
            Objects.requireNonNull(to);
            Objects.requireNonNull(startedAt);
            Objects.requireNonNull(sha256);
        }

        @Override
        public Kind kind() {
            return Kind.DEVICE_STATE_CHANGED;
        }
    }

    /**
     * A SET of {@code from>requested} failed with {@code errno}. The kernel echoes the requested
     * state on failure, so {@code readBack} is what a GET returned afterwards: the real state
     * (the original one, one along the path, or ERROR).
     */
    record TransitionFailed(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            Optional<CommandId> answers, MigrationState from, MigrationState requested, int errno,
            MigrationState readBack, String detail) implements DeviceEvent {
        public TransitionFailed {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(answers);
            Objects.requireNonNull(from);
            Objects.requireNonNull(requested);
            Objects.requireNonNull(readBack);
            Objects.requireNonNull(detail);
        }

        @Override
        public Kind kind() {
            return Kind.TRANSITION_FAILED;
        }
    }

    /** VFIO_MIG_GET_PRECOPY_INFO on a source device in PRE_COPY(_P2P), plus the stop-copy estimate. */
    record PreCopyProgress(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            MigrationId migration, long initialBytes, long dirtyBytes, long stopCopySizeEstimate,
            long bytesSent) implements DeviceEvent {
        public PreCopyProgress {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(migration);
        }

        @Override
        public Kind kind() {
            return Kind.PRE_COPY_PROGRESS;
        }
    }

    /** Bytes of a device-state stream moved so far (sender or receiver side). */
    record DataTransferProgress(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            MigrationId migration, CommandId answers, Direction direction, long bytes, long expectedBytes)
            implements DeviceEvent {
        public DataTransferProgress {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(answers);
            Objects.requireNonNull(direction);
        }

        @Override
        public Kind kind() {
            return Kind.DATA_TRANSFER_PROGRESS;
        }
    }

    /** A whole device-state stream moved: {@code bytes} and its SHA-256 (hex), as this side saw it. */
    record DataTransferCompleted(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            MigrationId migration, CommandId answers, Direction direction, long bytes, String sha256)
            implements DeviceEvent {
        public DataTransferCompleted {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(answers);
            Objects.requireNonNull(direction);
            Objects.requireNonNull(sha256);
        }

        @Override
        public Kind kind() {
            return Kind.DATA_TRANSFER_COMPLETED;
        }
    }

    /** A device-state stream was interrupted or rejected; nothing of it is committed. */
    record DataTransferFailed(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at,
            MigrationId migration, CommandId answers, Direction direction, long bytes, String reason)
            implements DeviceEvent {
        public DataTransferFailed {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(device);
            Objects.requireNonNull(at);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(answers);
            Objects.requireNonNull(direction);
            Objects.requireNonNull(reason);
        }

        @Override
        public Kind kind() {
            return Kind.DATA_TRANSFER_FAILED;
        }
    }

    /** The state of one device as a heartbeat reports it. */
    record DeviceStatus(DeviceId device, MigrationState state, long lastSequence) {
        public DeviceStatus {
            Objects.requireNonNull(device);
            Objects.requireNonNull(state);
        }
    }

    /**
     * The agent is alive and serves these devices of {@code vm} (one heartbeat per VM it serves,
     * keyed by VM like every other event). {@code agentEpoch} grows with each agent restart.
     */
    record AgentHeartbeat(HostId host, AgentId agent, VmId vm, Instant at, long agentEpoch,
            List<DeviceStatus> devices) implements AgentEvent {
        public AgentHeartbeat {
            Objects.requireNonNull(host);
            Objects.requireNonNull(agent);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(at);
            devices = List.copyOf(devices);
        }

        @Override
        public Kind kind() {
            return Kind.AGENT_HEARTBEAT;
        }
    }
}
