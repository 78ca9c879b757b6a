package dev.vfo.bench;

import java.util.List;

/**
 * One numbered part of the suite (the list: 1 raw round trip ... 6 in-process costs). A
 * scenario measures and returns rows; it never fails on a number. It may throw only when the
 * environment breaks (the broker is unreachable), which fails the run with that cause.
 */
public interface Scenario {

    /** The number for this part, "1" to "6". */
    String section();

    String title();

    List<Row> run(BenchContext context) throws Exception;

    /** False for in-process parts: they run before the broker starts, with no bootstrap servers. */
    default boolean needsKafka() {
        return true;
    }
}
