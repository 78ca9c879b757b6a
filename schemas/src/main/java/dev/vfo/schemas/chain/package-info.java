/**
 * The coordinator log's per-VM hash chain: {@link dev.vfo.schemas.chain.HashChain#append} (the
 * coordinator writes entries with it) and {@link dev.vfo.schemas.chain.HashChain#verify} (an audit
 * checks a log with it). Contract: pure functions over encoded entries; an entry's hash is the
 * SHA-256 of its bytes as written, so verification never depends on re-encoding.
 */
package dev.vfo.schemas.chain;
