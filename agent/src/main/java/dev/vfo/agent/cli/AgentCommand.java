package dev.vfo.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vfo agent}: the host agent's commands; the root {@code vfo} command adds it as a subcommand. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "The host agent: wraps this host's VFIO devices for the coordinator.",
        subcommands = {DevicesCommand.class, RunCommand.class})
public final class AgentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (try 'devices' or 'run')");
    }
}
