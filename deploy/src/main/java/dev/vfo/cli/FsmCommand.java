package dev.vfo.cli;

import picocli.CommandLine.Command;

/** Groups the questions about the kernel's migration state machine; not executable itself. */
@Command(
        name = "fsm",
        description = "Ask the kernel's VFIO migration state machine (vfio_mig_get_next_state), as vfo models it.",
        subcommands = {FsmPath.class, FsmTable.class})
final class FsmCommand {}
