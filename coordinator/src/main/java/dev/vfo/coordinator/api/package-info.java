/**
 * The port between the REST API and the coordinator's exactly-once loop: {@link
 * dev.vfo.coordinator.api.MigrationDesk} (what the loop implements), the request and outcome
 * records that cross it, the read views, and {@link dev.vfo.coordinator.api.CoordinatorMetrics}
 * (the domain meters the loop updates).
 *
 * <p>Contract: values crossing the port are already validated (the HTTP layer checked them
 * against the OpenAPI contract and built typed ids), so the loop only judges the plan itself
 * (refusing it with a reason) and never parses JSON. Every method is asynchronous and returns a
 * Vert.x {@link io.vertx.core.Future}; a failed future means the desk could not answer (a 503),
 * never a business refusal, which is a value of the outcome types.
 */
package dev.vfo.coordinator.api;
