/**
 * End-to-end fault scenarios with the real pieces as separate processes: a broker
 * ({@link dev.vfo.schemas.testkit.KafkaBroker#dedicated()}), coordinators and agents started as
 * child JVMs through the product's own entry point ({@code dev.vfo.cli.Vfo coordinator} and
 * {@code vfo agent run --backend simulated}), driven over the REST API and watched on the real
 * topics. Every scenario ends with {@code vfo audit verify} over those topics.
 *
 * <p>Contract: each test has its own broker, topic namespace, state directories and loopback
 * ports, so tests never see each other; every wait is bounded and waits for something observable
 * (a record on a topic, an HTTP answer), never for time to pass; every child process is killed in
 * {@code @AfterEach}, whatever happened; each process's output is kept in
 * {@code target/e2e-logs/<test>/<process>.log} for the post-mortem.
 */
package dev.vfo.e2e;
