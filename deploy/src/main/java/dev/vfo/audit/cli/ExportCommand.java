package dev.vfo.audit.cli;

import dev.vfo.schemas.codec.LogArchive;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vfo audit export}: writes the coordinator log, the device events and the dead letters to
 * a standard Avro Object Container File, in audit order, for {@code vfo audit verify --file} or
 * any Avro reader. Two passes over the same captured end offsets (count, then write) because the
 * archive's header states its record count and nothing is held in memory.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write everything the audit needs (coordinator log, device events, dead letters) to an Avro"
                + " Object Container File.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:usage or input error (unreachable broker, unwritable file)"})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Source.Live live;

    @Mixin
    Source source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive to write (log.avro).")
    Path out;

    @Override
    public Integer call() {
        try {
            dev.vfo.audit.TopicLog log = source.pinned(live);
            long count = source.readLive(log, live, r -> { });
            Path tmp = out.resolveSibling(out.getFileName() + ".partial");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    LogArchive.Writer w = LogArchive.writer(count, os)) {
                source.readLive(log, live, r -> {
                    try {
                        w.append(r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().println("exported " + count + " records to " + out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (Source.InputError e) {
            spec.commandLine().getErr().println("vfo audit export: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            spec.commandLine().getErr().println("vfo audit export: cannot write " + out + ": " + e.getMessage());
            return 2;
        }
    }
}
