/**
 * The messages between host agents and the coordinator, as plain domain records: identifiers,
 * {@link dev.vfo.core.protocol.AgentEvent}s (what agents report) and
 * {@link dev.vfo.core.protocol.AgentCommand}s (what the coordinator asks of them).
 *
 * <p>Contract: records validate their own fields (ids follow one character rule, nothing is null;
 * absent values are {@link java.util.Optional}), so a value of these types is always well formed.
 * The wire encoding lives in the {@code schemas} module; nothing here knows Avro or Kafka.
 */
package dev.vfo.core.protocol;
