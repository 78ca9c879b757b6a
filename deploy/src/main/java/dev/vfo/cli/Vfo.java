package dev.vfo.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code vfo} root command. Each job is a subcommand; adding one is one entry in
 * {@code subcommands} below. The root is not executable itself, so {@code vfo} alone is a usage
 * error ("Missing required subcommand", exit 2).
 */
@Command(
        name = "vfo",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Live-migrates VMs with VFIO passthrough devices across hosts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the job succeeded",
            "1:the job failed",
            "2:invalid request: bad usage, an undefined flag combination, a transition the kernel refuses"
        },
        subcommands = {
            FsmCommand.class,
            FlagsCommand.class,
            SimCommand.class,
            dev.vfo.demo.DemoCommand.class,
            dev.vfo.demo.UpCommand.class,
            TopicsCommand.class,
            dev.vfo.coordinator.cli.CoordinatorCommand.class,
            dev.vfo.agent.cli.AgentCommand.class,
            dev.vfo.bench.BenchCommand.class,
            dev.vfo.audit.cli.AuditCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Vfo {

    /** Exit code of a job that ran and failed. */
    public static final int FAILED = 1;
    /** Exit code of a request that is invalid as given; picocli's usage errors use it too. */
    public static final int INVALID_REQUEST = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Vfo.class);

    private Vfo() {}

    public static void main(String[] args) {
        LOG.debug("vfo {} on Java {}: {}", BuildVersion.version(), Runtime.version(), String.join(" ", args));
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(Vfo.class);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        IExitCodeExceptionMapper exitCodes = exitCodes();
        cl.setExitCodeExceptionMapper(exitCodes);
        cl.setExecutionExceptionHandler(reportFailure(exitCodes));
        cl.setParameterExceptionHandler(reportUsageError());
        return cl;
    }

    private static IExitCodeExceptionMapper exitCodes() {
        return e -> e instanceof InvalidRequest ? INVALID_REQUEST : FAILED;
    }

    /**
     * An invalid request prints its message alone: the message is the answer. Any other
     * exception is a defect or an environment failure: its class is printed, and the stack trace
     * goes to the log (visible with VFO_LOG_LEVEL=DEBUG) rather than into the operator's face.
     */
    private static IExecutionExceptionHandler reportFailure(IExitCodeExceptionMapper exitCodes) {
        return (Exception e, CommandLine cmd, ParseResult parsed) -> {
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            if (e instanceof InvalidRequest) {
                err.println(name + ": " + e.getMessage());
            } else {
                err.println(name + ": failed: " + e);
                LOG.debug("{} failed", name, e);
            }
            err.flush();
            // The root's mapper, not cmd's: a subcommand added after configuration has none.
            return exitCodes.getExitCode(e);
        };
    }

    /** The message and a pointer to --help, instead of picocli's default of the whole usage text. */
    private static IParameterExceptionHandler reportUsageError() {
        return (ParameterException e, String[] args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        };
    }
}
