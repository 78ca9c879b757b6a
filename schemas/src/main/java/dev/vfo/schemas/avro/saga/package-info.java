/** Generated Avro records of the coordinator log (saga events, the LogEntry envelope) and shared saga values; used only by the codec. */
package dev.vfo.schemas.avro.saga;
