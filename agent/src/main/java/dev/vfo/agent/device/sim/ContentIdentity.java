package dev.vfo.agent.device.sim;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which device state a simulated device holds: the device it originated on, a seed and a
 * generation. The bytes of its state stream are a pure function of this identity (and the
 * device's sizes and the clock), so a destination can recompute or compare them without anyone
 * holding the stream. A device that resumes a stream takes on the identity the stream carries.
 */
public record ContentIdentity(String origin, long seed, long generation) {
    public ContentIdentity {
        Objects.requireNonNull(origin, "origin");
        if (origin.getBytes(StandardCharsets.UTF_8).length > StreamFrame.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("origin longer than " + StreamFrame.MAX_NAME_BYTES + " bytes");
        }
    }

    /** The generator key of one region of the stream (FNV-1a over the identity, then mixed). */
    long key(StreamFrame.Type region) {
        long h = 0xcbf29ce484222325L;
        for (byte b : origin.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = StateContent.mix(h ^ seed);
        h = StateContent.mix(h ^ generation);
        return StateContent.mix(h ^ region.code());
    }
}
