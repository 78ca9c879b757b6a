package dev.vfo.coordinator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's domain meters, registered once in the registry /metrics serves. The loop
 * updates them; the API only exposes them.
 *
 * <p>The phase and reason names given to the constructor are registered up front so a scrape
 * shows every series (at zero) before the first migration: dashboards and alerts then work on a
 * fresh instance. Tag values must come from small fixed sets (the saga's phase and reason names),
 * never from ids, or the series count grows without bound.
 */
public final class CoordinatorMetrics {
    public static final String PHASE_DURATION = "vfo.migration.phase.duration";
    public static final String BARRIER_WAIT = "vfo.barrier.wait";
    public static final String IN_FLIGHT = "vfo.migrations.in.flight";
    public static final String CONSUMER_LAG = "vfo.consumer.lag";
    public static final String REJECTED_EVENTS = "vfo.events.rejected";

    private final MeterRegistry registry;
    private final Timer barrierWait;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong consumerLag = new AtomicLong();

    public CoordinatorMetrics(MeterRegistry registry, Collection<String> phases, Collection<String> rejectReasons) {
        this.registry = Objects.requireNonNull(registry, "registry");
        phases.forEach(this::phaseTimer);
        rejectReasons.forEach(this::rejectedCounter);
        barrierWait = Timer.builder(BARRIER_WAIT)
                .description("From the first PRE_COPY_P2P/RUNNING_P2P command to the last device reaching it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicLong::get)
                .description("Migrations the saga is driving now")
                .register(registry);
        Gauge.builder(CONSUMER_LAG, consumerLag, AtomicLong::get)
                .description("Records the loop has yet to consume, summed over its partitions")
                .baseUnit("records")
                .register(registry);
    }

    /**
     * A Vert.x whose own meters (HTTP requests, event loops, JVM) land in {@code registry}, next
     * to the domain meters, so one scrape shows both.
     */
    public static Vertx vertxReportingTo(PrometheusMeterRegistry registry) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** A migration completed {@code phase} after {@code took}. */
    public void phaseCompleted(String phase, Duration took) {
        phaseTimer(phase).record(took);
    }

    /** The quiesce barrier of a migration was reached after {@code waited}. */
    public void barrierReached(Duration waited) {
        barrierWait.record(waited);
    }

    public void inFlightMigrations(long count) {
        inFlight.set(count);
    }

    public void consumerLag(long records) {
        consumerLag.set(records);
    }

    /** An event was refused (undecodable, out of sequence, from a host not owning the device ...). */
    public void eventRejected(String reason) {
        rejectedCounter(reason).increment();
    }

    private Timer phaseTimer(String phase) {
        return Timer.builder(PHASE_DURATION)
                .description("How long each saga phase took")
                .tag("phase", phase)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder(REJECTED_EVENTS)
                .description("Agent events the loop refused, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
