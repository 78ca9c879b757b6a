package dev.vfo.cli;

import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationFlags;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vfo flags}: explains a raw flags word. The explanation itself succeeds for any word
 * (exit 0), undefined combinations included, because explaining one is the point; {@code --check}
 * turns the answer into the exit code (2 for an undefined combination) for scripts.
 */
@Command(
        name = "flags",
        description = {
            "Explain a raw VFIO_DEVICE_FEATURE_MIGRATION flags word: each bit set, whether it is one of the four"
                    + " defined combinations, the states it provides, and what vfo does with such a device.",
            "Exits 0 for any word that parses; with --check, an undefined combination exits 2."
        })
final class FlagsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FLAGS", converter = FlagsWord.class,
            description = "A decimal or 0x hex number, or names joined by ',' or '|' (quote '|' in a shell).")
    MigrationFlags flags;

    @Option(names = "--check",
            description = "Exit 2, with the reason on standard error, if the combination is undefined"
                    + " (the device is not migratable).")
    boolean check;

    @Override
    public Integer call() {
        FlagsExplanation explanation = FlagsExplanation.of(flags);
        PrintWriter out = spec.commandLine().getOut();
        explanation.lines().forEach(out::println);
        out.flush();
        if (check && explanation.reading() instanceof FlagsReading.Undefined) {
            throw new InvalidRequest(((FlagsReading.Undefined) explanation.reading()).reason());
        }
        return 0;
    }
}
