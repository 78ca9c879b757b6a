/**
 * The topic catalog ({@link dev.vfo.schemas.topic.TopicCatalog}): every topic's name, key,
 * partitions, cleanup and retention, defined once, and the idempotent creation of those topics
 * ({@link dev.vfo.schemas.topic.TopicCreation}) that {@code vfo topics} runs.
 *
 * <p>Contract: all VM-keyed topics have the same partition count and the key is the VM id, so
 * everything one migration must order is in partitions of the same number; an existing topic with
 * another partition count or cleanup policy is an error, never silently accepted or altered.
 */
package dev.vfo.schemas.topic;
