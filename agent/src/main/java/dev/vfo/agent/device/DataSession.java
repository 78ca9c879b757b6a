package dev.vfo.agent.device;

/**
 * A migration data session: the saving or resuming data fd a session-opening arc returned.
 *
 * <p>The session ends when the device leaves the saving group (PRE_COPY, PRE_COPY_P2P, STOP_COPY)
 * or RESUMING, or is reset; from then on every operation on it fails with ENODEV, as the kernel
 * disables a stale fd. {@link #close()} releases it (the fd must be closed even after it ended).
 *
 * <p>Every session counts the bytes it moved and digests them with SHA-256 as they pass, so the
 * source and the destination can prove byte equality without holding the stream.
 */
public sealed interface DataSession extends AutoCloseable permits SavingSession, ResumingSession {

    enum Kind {
        /** Reading device state out (PRE_COPY, PRE_COPY_P2P, STOP_COPY). */
        SAVING,
        /** Writing device state in (RESUMING). */
        RESUMING
    }

    Kind kind();

    /** Bytes read from (saving) or accepted by (resuming) the session so far. */
    long bytesMoved();

    /** Lower-case hex SHA-256 of the bytes moved so far. */
    String sha256();

    /** False once the caller closed it. */
    boolean isOpen();

    /** Releases the session; idempotent, never fails. */
    @Override
    void close();
}
