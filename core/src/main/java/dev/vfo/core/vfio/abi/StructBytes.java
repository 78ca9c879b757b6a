package dev.vfo.core.vfio.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one place where struct bytes are sized, ordered and range-checked, so every struct in this
 * package encodes and decodes with the same rules: little-endian (the byte order of every host vfo
 * supports), exact lengths, and u32 fields held in a {@code long} that must fit 32 unsigned bits.
 */
final class StructBytes {
    static final long U32_MAX = 0xffff_ffffL;

    private StructBytes() {}

    /** A zeroed little-endian buffer of the struct's size, for encoding. */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A little-endian view of {@code bytes}, after checking they are exactly the struct's size:
     * short input cannot hold the fields, and longer input would silently drop the excess.
     */
    static ByteBuffer wrap(String struct, byte[] bytes, int size) {
        if (bytes.length < size) {
            throw new StructDecodeException(struct, bytes,
                    "too short: the struct is " + size + " bytes, " + (size - bytes.length) + " missing");
        }
        if (bytes.length > size) {
            throw new StructDecodeException(struct, bytes,
                    "too long: the struct is " + size + " bytes, the " + (bytes.length - size)
                            + " extra byte(s) would be lost");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads a u32 field without sign extension. */
    static long u32(ByteBuffer buffer, int offset) {
        return Integer.toUnsignedLong(buffer.getInt(offset));
    }

    /** Checks that a value given for a u32 field fits it. */
    static long checkU32(String struct, String field, long value) {
        if (value < 0 || value > U32_MAX) {
            throw new IllegalArgumentException(struct + "." + field + " is a u32; "
                    + value + " does not fit 0.." + U32_MAX);
        }
        return value;
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
