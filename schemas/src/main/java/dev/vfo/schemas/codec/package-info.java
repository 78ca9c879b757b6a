/**
 * The one codec between core's domain records and the log's bytes ({@link dev.vfo.schemas.codec.LogCodec}),
 * and the schema set it reads with ({@link dev.vfo.schemas.codec.SchemaSet}).
 *
 * <p>Contract: values are Avro single-object encodings; every released schema version (frozen under
 * {@code dev/vfo/schemas/history/} in this jar) decodes into the current records; decoding untrusted
 * bytes returns a {@link dev.vfo.schemas.codec.Decoded} and never throws, never allocates more than a
 * small multiple of the input, and refuses trailing bytes, unknown fingerprints, invalid enum and
 * union indexes and enum symbols this version does not know. No other vfo code imports Avro.
 *
 * <p>Speed without a second meaning: the structural check is compiled per writer schema; the log's
 * envelopes of the current version are read straight from their bytes ({@code Envelopes}), and a
 * reader of both topics may pass a {@link dev.vfo.schemas.codec.RecentAgentEvents} so an agent event
 * is decoded once; each of these gives exactly what Avro's reading gives, which the tests check.
 */
package dev.vfo.schemas.codec;
