package dev.vfo.core.vfio.abi;

import java.nio.ByteBuffer;

/**
 * {@code struct vfio_device_feature_mig_data_size}: the driver's estimate of the STOP_COPY stream
 * length in bytes (u64, read as unsigned), answerable in any state. It is an estimate for planning
 * the stop-and-copy downtime, not a promise about the stream.
 */
public record MigDataSizeFeature(long stopCopyLength) implements FeaturePayload {
    public static final String STRUCT = "vfio_device_feature_mig_data_size";
    public static final int SIZE = 8;
    /** {@code __aligned_u64 stop_copy_length}. */
    public static final int OFFSET_STOP_COPY_LENGTH = 0;

    @Override
    public FeatureId feature() {
        return FeatureId.MIG_DATA_SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = StructBytes.allocate(SIZE);
        b.putLong(OFFSET_STOP_COPY_LENGTH, stopCopyLength);
        return b.array();
    }

    public static MigDataSizeFeature decode(byte[] bytes) {
        ByteBuffer b = StructBytes.wrap(STRUCT, bytes, SIZE);
        return new MigDataSizeFeature(b.getLong(OFFSET_STOP_COPY_LENGTH));
    }

    @Override
    public String toString() {
        return "MigDataSizeFeature[stopCopyLength=" + Long.toUnsignedString(stopCopyLength) + "]";
    }
}
