package dev.vfo.core.invariant;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.util.Objects;

/**
 * One observation the checker consumes, in the order it happened; {@code position} locates it
 * (a log offset, a simulator step) for the report. An instance is a VM's set of devices on one
 * host. Exhaustive handling: switch over {@link #kind()}.
 */
public sealed interface Observed {

    VmId vm();

    HostId host();

    long position();

    Kind kind();

    enum Kind {
        DEVICE_STATE,
        INSTANCE_ROLE
    }

    /** A device of the instance is now in {@code state} (reported or, in a simulator, actual). */
    record DeviceState(VmId vm, HostId host, DeviceId device, MigrationState state, long position) implements Observed {
        public DeviceState {
            Objects.requireNonNull(vm);
            Objects.requireNonNull(host);
            Objects.requireNonNull(device);
            Objects.requireNonNull(state);
        }

        @Override
        public Kind kind() {
            return Kind.DEVICE_STATE;
        }
    }

    /**
     * The instance starts ({@code running}) or stops being the one that runs the VM's guest: the
     * source from the start until the commit point, the destination from the commit point on.
     */
    record InstanceRole(VmId vm, HostId host, boolean running, long position) implements Observed {
        public InstanceRole {
            Objects.requireNonNull(vm);
            Objects.requireNonNull(host);
        }

        @Override
        public Kind kind() {
            return Kind.INSTANCE_ROLE;
        }
    }
}
