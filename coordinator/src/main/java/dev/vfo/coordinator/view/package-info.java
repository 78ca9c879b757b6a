/**
 * The read model and the {@link dev.vfo.coordinator.api.MigrationDesk} over Kafka.
 * {@link dev.vfo.coordinator.view.MigrationLedger} follows the whole coordinator log
 * (read_committed, every partition) so any instance answers for any VM;
 * {@link dev.vfo.coordinator.view.LogDesk} sends requests to the requests topic and answers with
 * what the owning instance's loop committed.
 *
 * <p>Contract: the views are eventually consistent with the log (they lag by the read model's
 * poll); a submit's answer is the saga's decision as logged, never a guess. The ledger's thread
 * is its only writer.
 */
package dev.vfo.coordinator.view;
