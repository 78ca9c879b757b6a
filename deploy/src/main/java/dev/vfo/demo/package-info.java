/**
 * The product on one machine: {@code vfo up} (a local stack that stays up) and {@code vfo demo}
 * (the stack, then two migrations driven through the REST API, then the audit).
 *
 * <p>Contract: the local stack is made of the production pieces only (Kafka's own server code in
 * this JVM, the catalog's topics, the coordinator node, host agents), wired through the broker
 * exactly as in a deployment; the demo is an ordinary client of the REST API over real HTTP, so
 * what it shows is what an operator's curl would see. Nothing here reaches around the broker or
 * the API. The REST client and the progress renderer are pure enough to be tested without a
 * stack.
 */
package dev.vfo.demo;
