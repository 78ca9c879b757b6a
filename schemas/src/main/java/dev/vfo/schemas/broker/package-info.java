/**
 * A real Kafka broker inside this JVM, for {@code vfo demo} and for tests without Docker.
 *
 * <p>Contract: {@link dev.vfo.schemas.broker.EmbeddedKafka} runs Kafka's own KRaft server code
 * (broker and controller in one node) on 127.0.0.1 only, with the single-node settings that make
 * transactions and consumer groups (classic and KIP-848) work on one broker. Its ports and data
 * survive {@code stop()}/{@code start()}. The broker needs the optional {@code kafka_2.13}
 * dependency at run time; nothing else in {@code schemas} loads it. It logs through SLF4J and
 * defaults to WARN when Logback is the backend and no level is configured.
 */
package dev.vfo.schemas.broker;
