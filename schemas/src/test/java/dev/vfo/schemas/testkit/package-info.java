/**
 * The test harness every module's integration tests use to get a real Kafka broker.
 *
 * <p>Contract: {@link dev.vfo.schemas.testkit.KafkaBroker} is the only entry point. It picks a
 * container (a locally built image, Testcontainers, host network) or the in-JVM
 * {@link dev.vfo.schemas.broker.EmbeddedKafka} from {@code -Dvfo.kafka=container|embedded|auto},
 * prints its choice, and fails loudly when a required container cannot start. Brokers listen on
 * 127.0.0.1 only. The shared broker serves a whole JVM; dedicated brokers can be stopped, started
 * and restarted with the same ports and data.
 */
package dev.vfo.schemas.testkit;
