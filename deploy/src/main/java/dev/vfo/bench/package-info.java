/**
 * The benchmark suite behind {@code vfo bench}: numbers, never pass/fail. Every part of the issue's
 * list is a {@link dev.vfo.bench.Scenario} that returns {@link dev.vfo.bench.Row}s; a part that
 * cannot run yet (it needs the coordinator's Kafka loop, the agents' loop or the audit engine)
 * returns a row saying so and why, never an invented number.
 *
 * <p>Contract: a run is bounded (fixed sample counts per {@link dev.vfo.bench.Budget}), talks to
 * Kafka on the given bootstrap servers or an in-JVM broker on 127.0.0.1 only, creates its own
 * topics under a fresh namespace, and writes {@code bench.json} and the generated part of
 * {@code BENCHMARKS.md}. Targets are compared and reported ("met"/"missed"), never enforced.
 *
 * <p>Extension points for the end-to-end parts: {@link dev.vfo.bench.CoordinatorUnderTest} (the
 * coordinator loop, for sections 2 to 4) and {@link dev.vfo.bench.AuditReplay} (the audit engine,
 * for section 5), both found with {@link java.util.ServiceLoader}.
 */
package dev.vfo.bench;
