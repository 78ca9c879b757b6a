package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentEvent;
import java.util.Arrays;

/**
 * The agent events this thread decoded last, by their exact bytes. The same event reaches a
 * reader twice: on the device-events topic, and re-encoded inside the coordinator's
 * DeviceReported log entry, byte for byte the same when both sides run the same schema version.
 * Decoding is a function of the bytes alone and the value is immutable, so equal bytes can take
 * the earlier value: the audit no longer walks, decodes and maps every event twice (an eighth of
 * its time).
 *
 * <p>Direct-mapped and per thread: bounded memory, no locks; a collision only costs a decode. Keys
 * are copies, so a caller that reuses its array cannot make a later lookup match stale bytes.
 */
final class RecentAgentEvents {

    private static final int SLOTS = 256;
    private static final ThreadLocal<RecentAgentEvents> MINE = ThreadLocal.withInitial(RecentAgentEvents::new);

    private final int[] hashes = new int[SLOTS];
    private final byte[][] keys = new byte[SLOTS][];
    private final AgentEvent[] values = new AgentEvent[SLOTS];

    static RecentAgentEvents mine() {
        return MINE.get();
    }

    /** The event decoded from exactly {@code bytes[from, to)}, if this thread still holds it. */
    AgentEvent get(byte[] bytes, int from, int to, int hash) {
        int i = hash & (SLOTS - 1);
        byte[] key = keys[i];
        if (key != null && hashes[i] == hash && Arrays.equals(key, 0, key.length, bytes, from, to)) {
            return values[i];
        }
        return null;
    }

    void put(byte[] bytes, int from, int to, int hash, AgentEvent value) {
        int i = hash & (SLOTS - 1);
        hashes[i] = hash;
        keys[i] = Arrays.copyOfRange(bytes, from, to);
        values[i] = value;
    }

    /** Mixes every byte; spread so that direct mapping by the low bits works. */
    static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16) ^ (h >>> 8);
    }
}
