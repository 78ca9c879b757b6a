package dev.vfo.core.vfio.abi;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code struct vfio_device_feature}: the 8-byte header in front of every VFIO_DEVICE_FEATURE
 * payload. {@code argsz} is the size of header plus payload; {@code flags} holds the
 * {@link FeatureId} under {@link FeatureFlags#MASK} and the GET/SET/PROBE bits. Both are u32, held
 * in a {@code long} so they read as the unsigned numbers the kernel sees.
 *
 * <p>This record is the raw layout and holds any pair of u32s, including words the kernel would
 * refuse; {@link FeatureRequest} is the checked request.
 */
public record FeatureHeader(long argsz, long flags) {
    public static final String STRUCT = "vfio_device_feature";
    public static final int SIZE = 8;
    public static final int OFFSET_ARGSZ = 0;
    public static final int OFFSET_FLAGS = 4;
    /** Where {@code __u8 data[]} starts: the payload follows the header directly. */
    public static final int OFFSET_DATA = 8;

    public FeatureHeader {
        StructBytes.checkU32(STRUCT, "argsz", argsz);
        StructBytes.checkU32(STRUCT, "flags", flags);
    }

    /** The id under the mask, if the uAPI defines it. */
    public Optional<FeatureId> feature() {
        return FeatureId.fromValue(flags & FeatureFlags.MASK);
    }

    public boolean has(FeatureFlags operation) {
        return (flags & operation.bit()) != 0;
    }

    public byte[] encode() {
        ByteBuffer b = StructBytes.allocate(SIZE);
        b.putInt(OFFSET_ARGSZ, (int) argsz);
        b.putInt(OFFSET_FLAGS, (int) flags);
        return b.array();
    }

    public static FeatureHeader decode(byte[] bytes) {
        ByteBuffer b = StructBytes.wrap(STRUCT, bytes, SIZE);
        return new FeatureHeader(StructBytes.u32(b, OFFSET_ARGSZ), StructBytes.u32(b, OFFSET_FLAGS));
    }

    @Override
    public String toString() {
        return STRUCT + "{argsz=" + argsz + ", flags=" + StructBytes.hex(flags) + "}";
    }
}
