package dev.vfo.agent.device;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and digests the bytes a data session moves, as they pass, so neither side ever holds a
 * stream to prove it arrived intact. Every backend's sessions use this one tally.
 */
public final class StreamTally {
    private final MessageDigest sha256;
    private long bytes;

    public StreamTally() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Adds the bytes between {@code from} and the buffer's position (the bytes just moved). */
    public void add(ByteBuffer buffer, int from) {
        ByteBuffer moved = buffer.duplicate();
        moved.limit(moved.position()).position(from);
        bytes += moved.remaining();
        sha256.update(moved);
    }

    public long bytes() {
        return bytes;
    }

    /** Lower-case hex SHA-256 of everything added so far; adding may continue afterwards. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 digest is cloneable", e);
        }
    }
}
