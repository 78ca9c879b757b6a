/**
 * The REST API: {@link dev.vfo.coordinator.http.ControlPlaneServer} serves the OpenAPI 3.1
 * contract in {@code openapi.yaml} (validated on every request and served verbatim at
 * {@code /openapi.yaml}), the health checks and the Prometheus scrape, in front of a
 * {@link dev.vfo.coordinator.api.MigrationDesk}.
 *
 * <p>Contract: a request reaches the desk only when it is authenticated, its role may do it, it
 * is within the rate and size limits and it matches the contract; every refusal is an
 * {@code application/problem+json} body (RFC 9457) whose {@code field} names the bad part of a
 * 400. Order of checks: 401/403 (identity first, so anonymous callers learn nothing about the
 * contract), 429, 413, 400, then the desk's answer (404, 409, 422).
 */
package dev.vfo.coordinator.http;
