package dev.vfo.agent.device.sim;

import java.time.Duration;

/**
 * How a simulated device spends its latency. Injected so tests run in no wall time: a test's
 * sleeper advances the test's clock instead of waiting.
 */
@FunctionalInterface
public interface Sleeper {

    /** Really waits (the default outside tests); an interrupt ends the wait early and is kept. */
    Sleeper REAL = d -> {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    void sleep(Duration duration);
}
