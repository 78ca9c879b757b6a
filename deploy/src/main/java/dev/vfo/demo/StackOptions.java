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

    /** The fleet with {@code healthyVms} VMs that should migrate, after checking the options. */
    DemoFleet fleet(int healthyVms) {
        if (devices < 1 || devices > 16) {
            throw new ParameterException(spec.commandLine(), "--devices must be 1 to 16, was " + devices);
        }
        return DemoFleet.of(healthyVms, devices);
    }

    Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }
}
