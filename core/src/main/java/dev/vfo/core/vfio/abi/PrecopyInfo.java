package dev.vfo.core.vfio.abi;

import java.nio.ByteBuffer;

/**
 * {@code struct vfio_precopy_info}, exchanged by VFIO_MIG_GET_PRECOPY_INFO on a saving fd in
 * PRE_COPY or PRE_COPY_P2P. The caller sends {@code argsz} (at least {@link #SIZE}); the kernel
 * fills {@code initial_bytes} (non-zero at first, falls as data is read: leave PRE_COPY once it is
 * 0) and {@code dirty_bytes} (device state changed since it was read). Both u64 are read as
 * unsigned; neither predicts the STOP_COPY size ({@link MigDataSizeFeature} does).
 */
public record PrecopyInfo(long argsz, long flags, long initialBytes, long dirtyBytes) {
    public static final String STRUCT = "vfio_precopy_info";
    public static final int SIZE = 24;
    public static final int OFFSET_ARGSZ = 0;
    public static final int OFFSET_FLAGS = 4;
    public static final int OFFSET_INITIAL_BYTES = 8;
    public static final int OFFSET_DIRTY_BYTES = 16;

    public PrecopyInfo {
        StructBytes.checkU32(STRUCT, "argsz", argsz);
        StructBytes.checkU32(STRUCT, "flags", flags);
    }

    /** The buffer to pass to VFIO_MIG_GET_PRECOPY_INFO: {@code argsz} = 24, everything else 0. */
    public static PrecopyInfo request() {
        return new PrecopyInfo(SIZE, 0, 0, 0);
    }

    /** True at the temporary end of the pre-copy stream: a read() now fails with ENOMSG. */
    public boolean drained() {
        return initialBytes == 0 && dirtyBytes == 0;
    }

    public byte[] encode() {
        ByteBuffer b = StructBytes.allocate(SIZE);
        b.putInt(OFFSET_ARGSZ, (int) argsz);
        b.putInt(OFFSET_FLAGS, (int) flags);
        b.putLong(OFFSET_INITIAL_BYTES, initialBytes);
        b.putLong(OFFSET_DIRTY_BYTES, dirtyBytes);
        return b.array();
    }

    public static PrecopyInfo decode(byte[] bytes) {
        ByteBuffer b = StructBytes.wrap(STRUCT, bytes, SIZE);
        return new PrecopyInfo(StructBytes.u32(b, OFFSET_ARGSZ), StructBytes.u32(b, OFFSET_FLAGS),
                b.getLong(OFFSET_INITIAL_BYTES), b.getLong(OFFSET_DIRTY_BYTES));
    }

    @Override
    public String toString() {
        return STRUCT + "{argsz=" + argsz + ", flags=" + StructBytes.hex(flags)
                + ", initial_bytes=" + Long.toUnsignedString(initialBytes)
                + ", dirty_bytes=" + Long.toUnsignedString(dirtyBytes) + "}";
    }
}
