/**
 * The deterministic simulator of the migration saga (FoundationDB/TigerBeetle style): one event
 * loop in simulated time runs the saga with a simulated shell and log, agents with simulated
 * devices that follow the kernel FSM, and a faulty network, checking the invariants as it goes.
 *
 * <p>Contract: a run is a pure function of its seed (all randomness from one
 * {@link java.util.SplittableRandom}, no clock, no I/O, ordered collections only), so any failing
 * seed reproduces exactly with {@code vfo sim --seeds 1 --seed-start SEED}.
 *
 * <p>It also holds the project's one model of a faithful agent: {@link dev.vfo.core.sim.FaithfulDevice}
 * builds every event about a device (numbered with its sequence), and
 * {@link dev.vfo.core.sim.FaithfulDevices} answers a command with the events a faithful agent with
 * zero-latency devices reports. The saga's tests, the benchmarks and the coordinator's tests answer
 * commands with it; the simulator adds time and faults on top. Pure as well: time is an input.
 */
package dev.vfo.core.sim;
