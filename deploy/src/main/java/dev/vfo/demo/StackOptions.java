package dev.vfo.demo;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options {@code vfo demo} and {@code vfo up} share: the simulated VMs' size and the broker's data. */
final class StackOptions {
    @Option(names = "--devices", defaultValue = "4", paramLabel = "N",
            description = "Devices per simulated VM, 1 to 16 (the API's limit per migration; default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The broker's data directory, kept (default: a temporary one, deleted at the end).")
    Path dataDir;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Starts the local stack these options describe, with {@code healthyVms} VMs that should
     * migrate plus the failing one, and the simulated hosts' agents; the API on {@code httpPort}.
     */
    LocalStack start(int httpPort, int healthyVms) {
        DemoFleet fleet = fleet(healthyVms);
        StackLogging.quietUnlessChosen(System.getenv());
        return LocalStack.start(dataDirectory(), httpPort, fleet, Optional.of(HostAgents.simulated()));
    }

    /** Refuses out-of-range options as a usage error, before anything starts or prints. */
    void check() {
        if (devices < 1 || devices > 16) {
            throw new ParameterException(spec.commandLine(), "--devices must be 1 to 16, was " + devices);
        }
    }

    private DemoFleet fleet(int healthyVms) {
        check();
        return DemoFleet.of(healthyVms, devices);
    }

    private Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }
}
