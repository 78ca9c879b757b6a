/**
 * The agent's command-line commands ({@code vfo agent ...}), as picocli command classes the root
 * {@code vfo} command in the deploy module adds as subcommands.
 *
 * <p>Contract: commands print to picocli's configured writers, take every host path (sysfs root,
 * device node root) as an option so they run against a fake tree in tests, and list what they
 * cannot do (a device that will not open, an undefined flag combination) with the reason instead
 * of failing.
 */
package dev.vfo.agent.cli;
