/**
 * Dead letters: how every consumer loop survives records it cannot decode
 * ({@link dev.vfo.schemas.deadletter.RecordDecoder}), what it writes to the dead-letter topic
 * ({@link dev.vfo.schemas.deadletter.DeadLetters}: the original key and value bytes unchanged,
 * origin and reason in headers) and how to read a letter back.
 *
 * <p>Contract: a record either decodes or is dead-lettered with identical bytes before its offset
 * is committed; nothing is dropped and no record can stop a partition.
 */
package dev.vfo.schemas.deadletter;
