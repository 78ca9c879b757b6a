/** Generated Avro records of the agent events (topic {@code vfo.device-events}); used only by the codec. */
package dev.vfo.schemas.avro.event;
