/**
 * The VM migration saga: a pure decider ({@link dev.vfo.core.saga.Decider}) whose state is the
 * fold of the coordinator's own log for one VM ({@link dev.vfo.core.saga.SagaEvent}), driven by
 * {@link dev.vfo.core.saga.SagaInput}s (requests, agent events, timer firings, epoch takeovers).
 *
 * <p>Contract: {@code decide} and {@code evolve} are total and pure (no clock, I/O or randomness;
 * time arrives in inputs). Every input is recorded before the decisions it causes, so replaying
 * the recorded inputs through {@code decide} reproduces the log. Commands only ever ask a device
 * for one kernel arc, carry the migration id, the coordinator epoch and a fresh command id, and
 * never let a device of a running instance stop while a peer may initiate P2P DMA, nor run while
 * a peer is halted. See DESIGN.md in this directory.
 */
package dev.vfo.core.saga;
