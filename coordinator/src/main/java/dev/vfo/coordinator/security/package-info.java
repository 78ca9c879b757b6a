/**
 * Who may call the API and how often: bearer tokens with a {@link dev.vfo.coordinator.security.Role}
 * ({@link dev.vfo.coordinator.security.TokenRegistry}) and the per-caller limit on starting
 * migrations ({@link dev.vfo.coordinator.security.CreationRateLimit}).
 *
 * <p>Contract: tokens are kept only as SHA-256 digests and compared in constant time against
 * every known digest, so neither memory dumps nor response timing reveal a token; error messages
 * name the offending entry by position and name, never by its secret. Nothing here knows HTTP.
 */
package dev.vfo.coordinator.security;
