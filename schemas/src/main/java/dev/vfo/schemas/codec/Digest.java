package dev.vfo.schemas.codec;

import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest (32 bytes), compared by content. */
public final class Digest {

    public static final int BYTES = 32;
    /** The "previous hash" of a VM's first log record. */
    public static final Digest ZERO = new Digest(new byte[BYTES]);

    private final byte[] bytes;

    private Digest(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Digest of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest has " + BYTES + " bytes");
        }
        return new Digest(bytes.clone());
    }

    /**
     * One MessageDigest per thread, reused: looking one up costs about as much as hashing a log
     * entry (the audit hashes every entry of the coordinator log). {@code digest} resets it.
     */
    private static final ThreadLocal<java.security.MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    public static Digest sha256(byte[] data) {
        return new Digest(SHA256.get().digest(data));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest && Arrays.equals(bytes, ((Digest) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
