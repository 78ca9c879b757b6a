package dev.vfo.agent.device;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; as a sleeper it advances instead of waiting. */
public final class ManualClock extends Clock {
    private Instant now;
    private Duration slept = Duration.ZERO;

    public ManualClock(Instant start) {
        this.now = start;
    }

    public ManualClock() {
        this(Instant.parse("2026-11-23T12:00:00Z"));
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /** A sleeper: time passes, nobody waits. */
    public synchronized void sleep(Duration d) {
        now = now.plus(d);
        slept = slept.plus(d);
    }

    public synchronized Duration slept() {
        return slept;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
