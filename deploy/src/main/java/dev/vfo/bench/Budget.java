package dev.vfo.bench;

/**
 * How much a run measures. Every loop in the suite is bounded by these counts.
 *
 * @param roundTrips timed round trips per Kafka variant (after {@code warmupRoundTrips})
 * @param replayEvents device events written to, then read back from, the replay topic
 * @param repeats how many times each throughput measurement is repeated (the median is reported)
 * @param inFlightVms VMs held mid-barrier for the memory measurement
 * @param jmhForks 0 runs JMH in this JVM (quick); 1 isolates each benchmark in a fresh JVM
 * @param jmhWarmupMillis length of each of {@code jmhWarmups} warm-up iterations
 * @param jmhMeasureMillis length of each of {@code jmhIterations} measured iterations
 * @param fleetVms VMs migrating at once in section 4 (once it can run)
 */
public record Budget(String name, int warmupRoundTrips, int roundTrips, int replayEvents, int repeats,
        int inFlightVms, int jmhForks, int jmhWarmups, int jmhWarmupMillis, int jmhIterations,
        int jmhMeasureMillis, int fleetVms) {

    /** For the smoke test: every section runs, the numbers mean little. */
    public static final Budget TINY = new Budget("tiny", 20, 100, 2_000, 1, 200, 0, 1, 100, 1, 100, 10);
    /** A couple of minutes on two busy cores: for a quick look. */
    public static final Budget QUICK = new Budget("quick", 200, 2_000, 50_000, 1, 2_000, 0, 1, 1_000, 2, 1_000, 100);
    /** The run whose numbers go into BENCHMARKS.md. */
    public static final Budget FULL = new Budget("full", 1_000, 10_000, 200_000, 3, 10_000, 1, 2, 2_000, 3, 2_000,
            1_000);
}
