/**
 * The simulated device backend: a {@link dev.vfo.agent.device.VfioDevice} in memory that follows
 * the uAPI's observable rules (transition arcs, session-opening arcs, PRE_COPY temporary end with
 * initial and dirty bytes, STOP_COPY end of stream, RESUMING checked on leaving it, ENODEV on
 * ended sessions, ERROR until reset, ENOTTY without migration).
 *
 * <p>Contract: a device's stream is a pure function of its spec, its
 * {@link dev.vfo.agent.device.sim.ContentIdentity} and the injected clock, produced and checked a
 * frame at a time so any size streams in bounded memory; time passes only through the injected
 * clock and {@link dev.vfo.agent.device.sim.Sleeper}; faults are injected per arc and per device.
 */
package dev.vfo.agent.device.sim;
