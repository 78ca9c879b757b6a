package dev.vfo.audit.cli;

import dev.vfo.audit.TopicLog;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.codec.LogArchive;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the audited records come from and which of them: the options both audit commands share. */
final class Source {

    /** The input cannot be read or the options are wrong: exit 2 with this message. */
    static final class InputError extends Exception {
        private static final long serialVersionUID = 1L;

        InputError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class Live {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "Read the live topics of this Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--client-config", paramLabel = "FILE",
                description = "Kafka client properties (security settings) for reading.")
        Path clientConfig;
    }

    @Option(names = "--namespace", defaultValue = TopicCatalog.DEFAULT_NAMESPACE, paramLabel = "NS",
            description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--vm", paramLabel = "VM", description = "Only this VM's records.")
    String vm;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Only records from this time (ISO-8601, e.g. 2026-01-01T00:00:00Z). Without it the log is read"
                    + " from its start, which the chain's genesis and the decision replay need.")
    String since;

    @Option(names = "--until", paramLabel = "INSTANT", description = "Only records up to this time (ISO-8601).")
    String until;

    @Option(names = "--stall-seconds", defaultValue = "60", paramLabel = "S",
            description = "Fail when reading the live topics makes no progress for this long (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    TopicCatalog catalog() throws InputError {
        try {
            return new TopicCatalog(namespace, TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage(), e);
        }
    }

    Optional<VmId> vmId() throws InputError {
        try {
            return Optional.ofNullable(vm).map(VmId::new);
        } catch (IllegalArgumentException e) {
            throw new InputError("--vm: " + e.getMessage(), e);
        }
    }

    TopicLog.Range range() throws InputError {
        return new TopicLog.Range(instant("--since", since), instant("--until", until));
    }

    private static Optional<Instant> instant(String option, String text) throws InputError {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new InputError(option + " '" + text + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z", e);
        }
    }

    /** Passes the live topics' records in audit order, filtered to the VM. */
    long readLive(Live live, Consumer<LoggedRecord> sink) throws InputError {
        return readLive(pinned(live), live, sink);
    }

    /** The live topics with their end offsets captured now. */
    TopicLog pinned(Live live) throws InputError {
        Map<String, Object> config = new HashMap<>();
        if (live.clientConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(live.clientConfig)) {
                p.load(r);
            } catch (IOException e) {
                throw new InputError("cannot read --client-config " + live.clientConfig + ": " + e.getMessage(), e);
            }
            p.forEach((k, v) -> config.put(k.toString(), v));
        }
        config.put("bootstrap.servers", live.bootstrapServers);
        try {
            return new TopicLog(config, catalog(), range(), Duration.ofSeconds(stallSeconds)).pin();
        } catch (RuntimeException e) {
            throw new InputError("cannot read the topics at " + live.bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** One pass over {@code log} in audit order, filtered to the VM. */
    long readLive(TopicLog log, Live live, Consumer<LoggedRecord> sink) throws InputError {
        byte[] key = vmId().map(TopicCatalog::key).orElse(null);
        try {
            return log.forEach(r -> {
                if (key == null || Arrays.equals(key, r.key().orElse(null))) {
                    sink.accept(r);
                }
            });
        } catch (RuntimeException e) {
            throw new InputError("cannot read the topics at " + live.bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** Passes an archive's records (written in audit order by {@code vfo audit export}), filtered by range. */
    long readFile(Path file, Consumer<LoggedRecord> sink) throws InputError {
        TopicLog.Range range = range();
        long since = range.since().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long[] n = {0};
            LogArchive.forEach(in, r -> {
                if (r.timestamp() >= since && range.includes(r.timestamp())) {
                    sink.accept(r);
                    n[0]++;
                }
            });
            return n[0];
        } catch (IOException e) {
            throw new InputError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** For picocli: exactly one input. */
    static final class Input {
        @Option(names = "--file", paramLabel = "FILE", description = "Audit an archive written by 'vfo audit export'.")
        Path file;

        @ArgGroup(exclusive = false)
        Live live;
    }
}
