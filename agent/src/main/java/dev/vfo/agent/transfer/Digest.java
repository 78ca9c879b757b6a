package dev.vfo.agent.transfer;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A stream's length and lower-case hex SHA-256: what a TRAILER declares and a RECEIVED confirms.
 * On the wire: the length as a big-endian i64, then the 32 raw digest bytes.
 */
record Digest(long bytes, String sha256) {
    static final int BYTES = 8 + 32;

    Digest {
        Objects.requireNonNull(sha256, "sha256");
        if (bytes < 0) {
            throw new IllegalArgumentException("a stream length is not negative, was " + bytes);
        }
        if (sha256.length() != 64) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex digits, was '" + sha256 + "'");
        }
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(bytes).put(HexFormat.of().parseHex(sha256)).array();
    }

    static Digest decode(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        long length = b.getLong();
        if (length < 0) {
            throw new ProtocolViolation("a negative stream length " + length);
        }
        byte[] sha = new byte[32];
        b.get(sha);
        return new Digest(length, HexFormat.of().formatHex(sha));
    }

    @Override
    public String toString() {
        return bytes + " bytes, SHA-256 " + sha256;
    }
}
