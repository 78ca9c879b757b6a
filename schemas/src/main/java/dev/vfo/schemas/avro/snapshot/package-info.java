/** Generated Avro records of the saga snapshots (topic {@code <ns>.snapshots}); used only by the codec. */
package dev.vfo.schemas.avro.snapshot;
