package dev.vfo.agent.device.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The deterministic bytes of simulated device state. Byte {@code p} of a region is byte
 * {@code p mod 8} (little-endian) of {@code mix(key + (p / 8) * golden)}: positional, so any
 * segmentation of reads yields the same stream, and generated on the fly, so gigabytes of state
 * never sit in memory.
 */
final class StateContent {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private StateContent() {}

    /** SplitMix64's finalizer: a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long word(long key, long index) {
        return mix(key + index * GOLDEN);
    }

    /** Puts {@code length} bytes of the region keyed {@code key}, from {@code offset}, at dst's position. */
    static void fill(ByteBuffer dst, long key, long offset, int length) {
        ByteBuffer out = dst.order() == ByteOrder.LITTLE_ENDIAN ? dst : dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long p = offset;
        int left = length;
        while ((p & 7) != 0 && left > 0) {
            out.put((byte) (word(key, p >>> 3) >>> (8 * (p & 7))));
            p++;
            left--;
        }
        while (left >= 8) {
            out.putLong(word(key, p >>> 3));
            p += 8;
            left -= 8;
        }
        while (left > 0) {
            out.put((byte) (word(key, p >>> 3) >>> (8 * (p & 7))));
            p++;
            left--;
        }
        if (out != dst) {
            dst.position(out.position());
        }
    }
}
