/**
 * Invariant checks over what devices did, usable on a simulator's ground truth and on real logs
 * (the audit): {@link dev.vfo.core.invariant.P2pOrderChecker} for the two P2P-order rules per
 * running instance, streaming, and {@link dev.vfo.core.invariant.Termination} for the end of a
 * migration (finished, running in exactly one place, or failed with every device's real state).
 *
 * <p>Contract: pure; every {@link dev.vfo.core.invariant.Violation} names its rule, the VM, the
 * position in the stream and the devices involved.
 */
package dev.vfo.core.invariant;
