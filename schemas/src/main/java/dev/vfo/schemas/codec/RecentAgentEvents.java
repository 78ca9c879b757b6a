package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Agent events a reader decoded last, by their exact bytes. A reader of both the device-events
 * topic and the coordinator log (the audit) sees every event twice: as the agent produced it, and
 * re-encoded inside the coordinator's DeviceReported entry, byte for byte the same when both sides
 * run the same schema version. Decoding is a function of the bytes alone and the value is
 * immutable, so equal bytes can take the earlier value instead of being walked, decoded and
 * mapped again (an eighth of the audit's time). Readers that see each event once (the
 * coordinator's loop) pass none and keep nothing.
 *
 * <p>Two-way set-associative, the older entry of a set replaced first: bounded memory (about
 * 2 MiB), and an event survives the thousand or so others decoded before its entry comes in a
 * partition many VMs share (one direct-mapped table lost a third of them); a miss only costs a
 * decode. A hit needs the same hash and the same bytes; keys are copies, so a caller that reuses
 * its array cannot make a later lookup match stale bytes. Not thread-safe: one per reading thread.
 */
public final class RecentAgentEvents {

    private static final int SETS = 2048;

    /** Two ways per set, set {@code s} at {@code 2s, 2s + 1}. */
    private final int[] hashes = new int[2 * SETS];
    private final byte[][] keys = new byte[2 * SETS][];
    private final AgentEvent[] values = new AgentEvent[2 * SETS];
    /** Per set, the way the next put replaces: the one written before the other. */
    private final byte[] next = new byte[SETS];

    /** The event decoded from exactly {@code bytes[from, to)}, if still held. */
    AgentEvent get(byte[] bytes, int from, int to, int hash) {
        int first = (hash & (SETS - 1)) << 1;
        for (int i = first; i < first + 2; i++) {
            byte[] key = keys[i];
            if (key != null && hashes[i] == hash && Arrays.equals(key, 0, key.length, bytes, from, to)) {
                return values[i];
            }
        }
        return null;
    }

    void put(byte[] bytes, int from, int to, int hash, AgentEvent value) {
        int set = hash & (SETS - 1);
        int i = (set << 1) + next[set];
        next[set] ^= 1;
        hashes[i] = hash;
        keys[i] = Arrays.copyOfRange(bytes, from, to);
        values[i] = value;
    }

    /**
     * Mixes every byte, eight at a time: a byte-by-byte polynomial hash was a serial chain of
     * multiplies that cost a miss more than a fifth of a decode.
     */
    static int hash(byte[] bytes, int from, int to) {
        long h = to - from;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = (h ^ (long) WORDS.get(bytes, i)) * MIX;
            h ^= h >>> 29;
        }
        for (; i < to; i++) {
            h = (h ^ bytes[i]) * MIX;
        }
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }

    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
