package dev.vfo.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vfo up}: the local stack of the demo (embedded Kafka, coordinator, the agents of two
 * simulated hosts) left running for the operator to try the REST API by hand. Prints the address,
 * an operator and a viewer token, and ready-to-paste curl commands; stops on Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Runs a local stack (Kafka in this process, a coordinator, two simulated hosts) until Ctrl-C, "
                + "and prints the REST API's address and tokens.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped on request",
            "1:the stack failed to start or its coordinator stopped on an error",
            "2:invalid options"})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the REST API on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, was " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (UntilStopped stopped = new UntilStopped(); LocalStack stack = options.start(port, 1)) {
            if (stack.hasAgents() && !stack.awaitRegistered(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the simulated hosts' agents did not register their devices");
            }
            printAccess(out, stack);
            stopped.await();
            return 0;
        }
    }

    /** The address, the tokens and curl commands that work against {@code stack} as printed. */
    static void printAccess(PrintWriter out, LocalStack stack) {
        String api = stack.api().toString();
        LocalStack.Tokens tokens = stack.tokens();
        out.println("vfo is up.");
        out.println("  REST API        " + api + "   (OpenAPI contract: coordinator/src/main/resources/openapi.yaml)");
        out.println("  Kafka           " + stack.bootstrapServers() + "   (data in " + stack.dataDirectory() + ")");
        out.println("  operator token  " + tokens.operator());
        out.println("  viewer token    " + tokens.viewer());
        out.println("  hosts           " + stack.fleet().source() + " (VMs " + String.join(", ",
                stack.fleet().vms().stream().map(DemoFleet.Vm::id).toList()) + "), " + stack.fleet().destination()
                + (stack.hasAgents() ? "" : "   (no agents running: migrations will not progress)"));
        out.println("                  " + stack.fleet().failing().id() + "'s last device on " + stack.fleet().destination()
                + " fails its commit arc once, so its first migration rolls back");
        out.println();
        out.println("Try:");
        out.println("  export VFO_TOKEN=" + tokens.operator());
        out.println("  curl -s -H \"Authorization: Bearer $VFO_TOKEN\" " + api + "/v1/devices");
        DemoFleet.Vm vm = stack.fleet().healthy().get(0);
        out.println("  curl -s -H \"Authorization: Bearer $VFO_TOKEN\" -H 'Content-Type: application/json' \\");
        out.println("       -d '" + DemoFleet.request(vm).encode() + "' \\");
        out.println("       " + api + "/v1/migrations");
        out.println("  curl -sN -H \"Authorization: Bearer $VFO_TOKEN\" " + api + "/v1/migrations/<id>/events");
        out.println("  curl -s -H \"Authorization: Bearer $VFO_TOKEN\" " + api + "/v1/vms/" + vm.id());
        out.println();
        out.println("Ctrl-C stops the stack.");
        out.flush();
    }
}
