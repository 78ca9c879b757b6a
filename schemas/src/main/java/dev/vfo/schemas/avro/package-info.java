/**
 * Avro classes generated from {@code src/main/avro/*.avdl} (the log's public API), and the types
 * they share. Only {@link dev.vfo.schemas.codec} uses them; everything else works with core's
 * domain records. A change here must pass {@code SchemaEvolutionTest} against every frozen version.
 */
package dev.vfo.schemas.avro;
