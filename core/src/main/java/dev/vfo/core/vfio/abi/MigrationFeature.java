package dev.vfo.core.vfio.abi;

import dev.vfo.core.vfio.MigrationFlags;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct vfio_device_feature_migration}: the answer to a MIGRATION GET, one u64 of
 * capability flags. The word is kept raw in {@link MigrationFlags} (unknown bits included), and
 * {@link MigrationFlags#read()} decides whether it is a defined combination; decoding never
 * interprets it.
 */
public record MigrationFeature(MigrationFlags flags) implements FeaturePayload {
    public static final String STRUCT = "vfio_device_feature_migration";
    public static final int SIZE = 8;
    /** {@code __aligned_u64 flags}. */
    public static final int OFFSET_FLAGS = 0;

    public MigrationFeature {
        Objects.requireNonNull(flags, "flags");
    }

    @Override
    public FeatureId feature() {
        return FeatureId.MIGRATION;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = StructBytes.allocate(SIZE);
        b.putLong(OFFSET_FLAGS, flags.raw());
        return b.array();
    }

    public static MigrationFeature decode(byte[] bytes) {
        ByteBuffer b = StructBytes.wrap(STRUCT, bytes, SIZE);
        return new MigrationFeature(new MigrationFlags(b.getLong(OFFSET_FLAGS)));
    }
}
