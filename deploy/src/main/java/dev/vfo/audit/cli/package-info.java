/**
 * The {@code vfo audit} commands ({@code verify}, {@code export}). Contract: exit 0 only when
 * every rule holds, 1 when violations were found, 2 for usage or input errors (unreadable file,
 * unreachable broker, bad option), with the reason on standard error.
 */
package dev.vfo.audit.cli;
