/**
 * The coordinator's exactly-once loop: {@link dev.vfo.coordinator.loop.SagaLoop} runs the pure
 * {@code MigrationSaga} over Kafka on a thread of its own. It is the single writer of the saga
 * state of the VMs whose partitions it owns; every batch of polled records is one transaction holding the
 * log entries, the agent commands, the dead letters and the consumed offsets.
 *
 * <p>Contract: state changes only when a transaction commits; after an abort the loop rewinds to
 * the committed offsets and rebuilds from the log. On assignment a partition's state is rebuilt
 * from the committed log before any of its input is processed, and VMs with a migration in
 * flight get a new epoch. Fatal producer errors (fenced, out of order, unauthorised) stop the
 * loop; the process exits non-zero. See DESIGN.md in this directory.
 */
package dev.vfo.coordinator.loop;
