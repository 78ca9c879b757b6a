/**
 * The agent's persisted state directory: what must survive a restart (or a kill -9) so the agent
 * never re-executes a command, never reuses or skips a device event sequence number, never forgets
 * the newest coordinator epoch of a VM, and resumes consuming where it stopped.
 *
 * <p>Contract: {@link dev.vfo.agent.state.StateDirectory} is an append-only journal; every append
 * is written and fsync'ed before the call returns, so a record the caller saw written survives a
 * crash. A torn last line (a crash mid-append) is ignored on load. Opening compacts the journal
 * into a fresh file written aside, fsync'ed and atomically renamed over the old one. One process
 * at a time: opening takes an exclusive file lock.
 */
package dev.vfo.agent.state;
