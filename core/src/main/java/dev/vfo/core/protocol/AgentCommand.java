package dev.vfo.core.protocol;

import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.Objects;

/**
 * What the coordinator asks one host's agent to do. Every command carries its id (an agent
 * applies an id at most once and re-reports instead of re-executing), the migration it belongs
 * to, the coordinator epoch that issued it (an agent refuses commands from an epoch older than
 * the newest it has seen) and a deadline after which the coordinator no longer waits for it.
 */
public sealed interface AgentCommand {

    CommandId id();

    MigrationId migration();

    long coordinatorEpoch();

    /** The host whose agent must carry the command out. */
    HostId host();

    VmId vm();

    Instant deadline();

    Kind kind();

    enum Kind {
        TRANSITION_DEVICE,
        START_DATA_TRANSFER,
        ACCEPT_DATA_TRANSFER,
        RESET_DEVICE,
        ABORT_MIGRATION
    }

    /** A command about one device. */
    sealed interface DeviceCommand extends AgentCommand {
        DeviceId device();
    }

    /**
     * Move the device to {@code target}. The coordinator only ever asks for one kernel arc at a
     * time; the agent still walks {@link dev.vfo.core.vfio.MigrationFsm}'s path arc by arc and
     * reports each arc.
     */
    record TransitionDevice(CommandId id, MigrationId migration, long coordinatorEpoch, HostId host, VmId vm,
            Instant deadline, DeviceId device, MigrationState target) implements DeviceCommand {
        public TransitionDevice {
            Objects.requireNonNull(id);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(host);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(deadline);
            Objects.requireNonNull(device);
            Objects.requireNonNull(target);
            if (target == MigrationState.ERROR) {
                throw new IllegalArgumentException("ERROR cannot be requested");
            }
        }

        @Override
        public Kind kind() {
            return Kind.TRANSITION_DEVICE;
        }
    }

    /**
     * Source side: stream the device's saving data fd (PRE_COPY or STOP_COPY session) to the
     * destination agent at {@code destinationEndpoint}, for {@code destinationDevice}.
     */
    record StartDataTransfer(CommandId id, MigrationId migration, long coordinatorEpoch, HostId host, VmId vm,
            Instant deadline, DeviceId device, HostId destinationHost, DeviceId destinationDevice,
            String destinationEndpoint) implements DeviceCommand {
        public StartDataTransfer {
            Objects.requireNonNull(id);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(host);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(deadline);
            Objects.requireNonNull(device);
            Objects.requireNonNull(destinationHost);
            Objects.requireNonNull(destinationDevice);
            Objects.requireNonNull(destinationEndpoint);
        }

        @Override
        public Kind kind() {
            return Kind.START_DATA_TRANSFER;
        }
    }

    /**
     * Destination side: accept the stream for {@code device} (in RESUMING) from
     * {@code sourceDevice} on {@code sourceHost}, and write it into the resuming data fd.
     */
    record AcceptDataTransfer(CommandId id, MigrationId migration, long coordinatorEpoch, HostId host, VmId vm,
            Instant deadline, DeviceId device, HostId sourceHost, DeviceId sourceDevice) implements DeviceCommand {
        public AcceptDataTransfer {
            Objects.requireNonNull(id);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(host);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(deadline);
            Objects.requireNonNull(device);
            Objects.requireNonNull(sourceHost);
            Objects.requireNonNull(sourceDevice);
        }

        @Override
        public Kind kind() {
            return Kind.ACCEPT_DATA_TRANSFER;
        }
    }

    /** VFIO_DEVICE_RESET: the device returns to RUNNING and any data session ends. */
    record ResetDevice(CommandId id, MigrationId migration, long coordinatorEpoch, HostId host, VmId vm,
            Instant deadline, DeviceId device, String reason) implements DeviceCommand {
        public ResetDevice {
            Objects.requireNonNull(id);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(host);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(deadline);
            Objects.requireNonNull(device);
            Objects.requireNonNull(reason);
        }

        @Override
        public Kind kind() {
            return Kind.RESET_DEVICE;
        }
    }

    /** Stop every transfer of {@code migration} on this host; device states are left as they are. */
    record AbortMigration(CommandId id, MigrationId migration, long coordinatorEpoch, HostId host, VmId vm,
            Instant deadline, String reason) implements AgentCommand {
        public AbortMigration {
            Objects.requireNonNull(id);
            Objects.requireNonNull(migration);
            Objects.requireNonNull(host);
            Objects.requireNonNull(vm);
            Objects.requireNonNull(deadline);
            Objects.requireNonNull(reason);
        }

        @Override
        public Kind kind() {
            return Kind.ABORT_MIGRATION;
        }
    }
}
