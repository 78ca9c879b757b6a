/**
 * The {@code vfo coordinator} command and {@link dev.vfo.coordinator.cli.CoordinatorNode}, which
 * wires one coordinator process: topics, the loop thread, the read-model thread and the REST API,
 * from the one {@code CoordinatorConfig}.
 *
 * <p>Contract: start fails (and the command exits non-zero) when Kafka or the topics are not
 * usable; close stops the loop after its transaction in flight, then the read model and Vert.x,
 * each within a timeout.
 */
package dev.vfo.coordinator.cli;
