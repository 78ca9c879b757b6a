/**
 * The {@code vfo} command line: the root command {@link dev.vfo.cli.Vfo} and its subcommands.
 *
 * <p>Contract: a command writes its result to standard output and nothing else there, so the
 * output can be piped (the FSM table is CSV). Diagnostics go to standard error; logging goes to
 * standard error at WARN unless {@code VFO_LOG_LEVEL} raises it. Exit codes are the same for every
 * subcommand: 0 the job succeeded, 1 the job failed, 2 the request was invalid (bad usage, an
 * undefined flag combination, a transition the kernel refuses). The domain answers come from
 * {@code dev.vfo.core.vfio} unchanged: this package parses, formats and maps to exit codes, and
 * never re-derives what the kernel model already decides.
 */
package dev.vfo.cli;
