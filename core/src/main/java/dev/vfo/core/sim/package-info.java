/**
 * The deterministic simulator of the migration saga (FoundationDB/TigerBeetle style): one event
 * loop in simulated time runs the saga with a simulated shell and log, agents with simulated
 * devices that follow the kernel FSM, and a faulty network, checking the invariants as it goes.
 *
 * <p>Contract: a run is a pure function of its seed (all randomness from one
 * {@link java.util.SplittableRandom}, no clock, no I/O, ordered collections only), so any failing
 * seed reproduces exactly with {@code vfo sim --seeds 1 --seed-start SEED}.
 */
package dev.vfo.core.sim;
