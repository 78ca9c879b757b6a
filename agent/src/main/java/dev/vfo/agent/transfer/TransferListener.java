package dev.vfo.agent.transfer;

/**
 * Hears a transfer's progress, every {@link TransferConfig#progressEveryBytes()} bytes. Called on a
 * Vert.x event loop: it must not block (hand the value to the agent's loop and return).
 */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = progress -> { };

    void progress(TransferProgress progress);
}
