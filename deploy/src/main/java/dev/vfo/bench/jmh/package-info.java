/**
 * The JMH benchmarks of the in-process costs (section 6): the saga's decide+evolve, the codec,
 * the hash chain. Run by {@link dev.vfo.bench.Microbenchmarks} through {@code vfo bench}, or
 * directly with JMH's own main ({@code java -cp deploy/target/vfo-all.jar org.openjdk.jmh.Main
 * 'dev.vfo.bench.jmh.*'}). Each benchmark returns its result so JMH consumes it (no dead code).
 */
package dev.vfo.bench.jmh;
