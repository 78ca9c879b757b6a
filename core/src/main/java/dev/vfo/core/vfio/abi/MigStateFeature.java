package dev.vfo.core.vfio.abi;

import dev.vfo.core.vfio.MigrationState;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct vfio_device_feature_mig_state}: the device state (u32, an
 * {@code enum vfio_device_mig_state} value) and the data fd (s32) of a MIG_DEVICE_STATE GET or SET.
 *
 * <p>The kernel writes {@link #NO_FD} into {@code data_fd} on a GET, on a SET that opens no new
 * session, and on a failed SET; a SET that opens a session (one of the four arcs of
 * {@link dev.vfo.core.vfio.Arc#opensDataSession()}) returns the new fd. On a failed SET the kernel
 * echoes the <em>requested</em> state, not the actual one, so only a GET tells where the device is.
 */
public record MigStateFeature(MigrationState deviceState, int dataFd) implements FeaturePayload {
    public static final String STRUCT = "vfio_device_feature_mig_state";
    public static final int SIZE = 8;
    /** {@code __u32 device_state}. */
    public static final int OFFSET_DEVICE_STATE = 0;
    /** {@code __s32 data_fd}. */
    public static final int OFFSET_DATA_FD = 4;
    /** The {@code data_fd} value meaning "no fd". */
    public static final int NO_FD = -1;

    public MigStateFeature {
        Objects.requireNonNull(deviceState, "deviceState");
    }

    /** The payload of a SET to {@code target}; the kernel ignores the fd on input, -1 keeps it unambiguous. */
    public static MigStateFeature request(MigrationState target) {
        return new MigStateFeature(target, NO_FD);
    }

    /** Whether the kernel returned a data fd (only on a session-opening SET). */
    public boolean hasDataFd() {
        return dataFd >= 0;
    }

    @Override
    public FeatureId feature() {
        return FeatureId.MIG_DEVICE_STATE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = StructBytes.allocate(SIZE);
        b.putInt(OFFSET_DEVICE_STATE, deviceState.value());
        b.putInt(OFFSET_DATA_FD, dataFd);
        return b.array();
    }

    /**
     * Decodes the 8 bytes; a {@code device_state} that is not a state of the uAPI (8 and above,
     * including {@code VFIO_DEVICE_STATE_NR}) is an error, never mapped to a nearby state.
     */
    public static MigStateFeature decode(byte[] bytes) {
        ByteBuffer b = StructBytes.wrap(STRUCT, bytes, SIZE);
        long state = StructBytes.u32(b, OFFSET_DEVICE_STATE);
        MigrationState deviceState = MigrationState.fromValue(state).orElseThrow(() -> new StructDecodeException(
                STRUCT, bytes, "device_state " + state + " is not an enum vfio_device_mig_state value (0.."
                        + (MigrationState.COUNT - 1) + ")"));
        return new MigStateFeature(deviceState, b.getInt(OFFSET_DATA_FD));
    }
}
