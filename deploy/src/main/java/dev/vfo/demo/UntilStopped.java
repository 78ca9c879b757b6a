package dev.vfo.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a command in its foreground until the JVM is asked to stop (Ctrl-C, SIGTERM), and holds
 * the JVM's shutdown until the command closed what it runs: without that, the JVM halts once its
 * hooks return, in the middle of the stack's orderly close. Open it before the stack, so
 * try-with-resources closes the stack first and this last.
 */
final class UntilStopped implements AutoCloseable {
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    UntilStopped() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            try {
                closed.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vfo-stop"));
    }

    /** Returns once a stop was requested. */
    void await() throws InterruptedException {
        stopRequested.await();
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
