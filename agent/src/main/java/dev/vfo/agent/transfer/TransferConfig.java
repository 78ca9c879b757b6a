package dev.vfo.agent.transfer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The transfer component's settings (a part of the agent's one configuration).
 *
 * @param host the address the receiver listens on
 * @param port the receiver's port; 0 picks a free one (tests)
 * @param chunkBytes the largest DATA payload a sender sends: the per-transfer buffer size
 * @param pollInterval how long a sender waits for a pre-copying device to become readable again
 *     before it checks for abort and deadline and asks once more
 * @param progressEveryBytes how many bytes pass between two progress reports
 * @param handshakeTimeout how long a receiver waits for a connection's HELLO, and then for the
 *     AcceptDataTransfer that HELLO names if it has not come yet
 * @param connectTimeout how long a sender waits to connect
 * @param workerThreads the threads doing blocking device reads and writes, shared by all transfers
 * @param tls mutual TLS when present; plain TCP otherwise
 */
public record TransferConfig(String host, int port, int chunkBytes, Duration pollInterval, long progressEveryBytes,
        Duration handshakeTimeout, Duration connectTimeout, int workerThreads, Optional<TransferTls> tls) {
    public static final int DEFAULT_PORT = 7470;

    public TransferConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        if (chunkBytes < 4096 || chunkBytes > Wire.MAX_DATA_PAYLOAD) {
            throw new IllegalArgumentException("chunkBytes must be 4096.." + Wire.MAX_DATA_PAYLOAD + ", was "
                    + chunkBytes);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (progressEveryBytes < 1) {
            throw new IllegalArgumentException("progressEveryBytes must be positive");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be positive");
        }
    }

    /** 127.0.0.1:{@value #DEFAULT_PORT}, 1 MiB chunks, plain TCP. */
    public static TransferConfig defaults() {
        return new TransferConfig("127.0.0.1", DEFAULT_PORT, 1 << 20, Duration.ofMillis(100), 64L << 20,
                Duration.ofSeconds(10), Duration.ofSeconds(10), 8, Optional.empty());
    }

    public TransferConfig withPort(int p) {
        return new TransferConfig(host, p, chunkBytes, pollInterval, progressEveryBytes, handshakeTimeout,
                connectTimeout, workerThreads, tls);
    }

    public TransferConfig withChunkBytes(int bytes) {
        return new TransferConfig(host, port, bytes, pollInterval, progressEveryBytes, handshakeTimeout,
                connectTimeout, workerThreads, tls);
    }

    public TransferConfig withPollInterval(Duration d) {
        return new TransferConfig(host, port, chunkBytes, d, progressEveryBytes, handshakeTimeout, connectTimeout,
                workerThreads, tls);
    }

    public TransferConfig withProgressEveryBytes(long bytes) {
        return new TransferConfig(host, port, chunkBytes, pollInterval, bytes, handshakeTimeout, connectTimeout,
                workerThreads, tls);
    }

    public TransferConfig withHandshakeTimeout(Duration d) {
        return new TransferConfig(host, port, chunkBytes, pollInterval, progressEveryBytes, d, connectTimeout,
                workerThreads, tls);
    }

    public TransferConfig withTls(TransferTls t) {
        return new TransferConfig(host, port, chunkBytes, pollInterval, progressEveryBytes, handshakeTimeout,
                connectTimeout, workerThreads, Optional.of(t));
    }
}
