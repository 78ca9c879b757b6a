/** Generated Avro records of the control-plane requests (topic {@code vfo.requests}); used only by the codec. */
package dev.vfo.schemas.avro.request;
