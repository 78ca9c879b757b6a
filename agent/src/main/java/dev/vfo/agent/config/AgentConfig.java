package dev.vfo.agent.config;

import dev.vfo.agent.transfer.TransferConfig;
import dev.vfo.agent.transfer.TransferTls;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The agent's configuration: one typed object per process.
 *
 * <p>Sources, lowest precedence first: the defaults below, a properties file
 * ({@code VFO_CONFIG_FILE} or {@code --config}), the environment. A file key
 * {@code heartbeat.interval} is the environment variable {@code VFO_HEARTBEAT_INTERVAL} (upper
 * case, dots as underscores, prefix {@code VFO_}). The names follow docs/configuration.md and
 * deploy/systemd/agent.env.example. Keys:
 * <pre>
 *  kafka.bootstrap.servers localhost:9092      Kafka brokers (VFO_KAFKA_BOOTSTRAP_SERVERS, --bootstrap-servers)
 *  kafka.*                                     every VFO_KAFKA_X_Y is passed to the Kafka clients as x.y
 *                                              (TLS, SASL); the agent's own safety settings win
 *  topic.namespace        vfo                  topic name prefix (TopicCatalog)
 *  topic.partitions       12                   partitions of VM-keyed topics (only when creating them)
 *  host.id                $HOSTNAME|localhost  this host; the agent reads &lt;ns&gt;.commands.&lt;host.id&gt; only
 *  agent.id               &lt;host.id&gt;-agent      this agent process
 *  state.dir              /var/lib/vfo-agent   applied commands, sequences, epochs, offsets
 *  backend                kernel               kernel | simulated
 *  devices                (none)               ';'-separated devices, each ','-separated key=value:
 *                                              name=..,vm=..[,model=..][,state.bytes=..]
 *                                              [,residue.bytes=..][,dirty.rate=..]
 *                                              [,flags=STOP_COPY|P2P (or a number)][,arc.latency=300ms] (simulated)
 *  sysfs.root / dev.root  /sys, /dev           kernel backend only
 *  transfer.host          0.0.0.0              where the transfer receiver listens
 *  transfer.port          7070                 0 picks a free port
 *  transfer.endpoint      (derived)            what other agents connect to (reported in DeviceRegistered);
 *                                              default: transfer.host unless a wildcard, else host.id
 *  transfer.chunk.bytes   1048576              largest DATA frame: the per-transfer buffer
 *  transfer.progress.bytes 67108864            bytes between two DataTransferProgress events
 *  transfer.tls.key / .cert / .trust           PEM paths, all three for mutual TLS, none for TCP
 *  transfer.tls.verify.hostname false
 *  heartbeat.interval     10s                  as 500ms, 10s, 2m or ISO-8601 (PT10S)
 *  shutdown.grace.ms      60000                on SIGTERM, how long in-flight transfers get to report
 * </pre>
 * A key under one of the agent's own prefixes ({@code transfer.}, {@code heartbeat.},
 * {@code shutdown.}, {@code state.}, {@code topic.}) that is not listed is an error: a typo must
 * not silently leave a default in force.
 */
public record AgentConfig(String bootstrapServers, String namespace, int topicPartitions, HostId hostId,
        AgentId agentId, Path stateDir, Backend backend, List<DeviceSpec> devices, Path sysfsRoot, String devRoot,
        TransferConfig transfer, Optional<String> transferEndpoint, Duration heartbeatInterval, Duration shutdownGrace,
        Map<String, String> kafka) {

    public static final String ENV_PREFIX = "VFO_";
    public static final int DEFAULT_TRANSFER_PORT = 7070;
    private static final String KAFKA_PREFIX = "kafka.";
    private static final int MAX_HOST_ID = 50;
    private static final List<String> OWN_PREFIXES = List.of("transfer.", "heartbeat.", "shutdown.", "state.",
            "topic.");
    private static final List<String> KNOWN = List.of("topic.namespace", "topic.partitions", "host.id", "agent.id",
            "state.dir", "backend", "devices", "sysfs.root", "dev.root", "transfer.host", "transfer.port",
            "transfer.endpoint", "transfer.chunk.bytes", "transfer.progress.bytes", "transfer.tls.key",
            "transfer.tls.cert", "transfer.tls.trust", "transfer.tls.verify.hostname", "heartbeat.interval",
            "shutdown.grace.ms", "config.file");

    public AgentConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(backend, "backend");
        devices = List.copyOf(devices);
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        Objects.requireNonNull(devRoot, "devRoot");
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(transferEndpoint, "transferEndpoint");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        kafka = Map.copyOf(kafka);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat.interval must be positive");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown.grace.ms must not be negative");
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topic.partitions must be at least 1");
        }
    }

    /** The environment variable that overrides file key {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Reads the file ({@code file}, else {@code VFO_CONFIG_FILE} when set), then overlays the
     * environment.
     */
    public static AgentConfig load(Map<String, String> env, Optional<Path> given) {
        Optional<Path> file = given.or(() -> Optional.ofNullable(env.get(envName("config.file")))
                .filter(f -> !f.isBlank()).map(Path::of));
        Properties props = new Properties();
        if (file.isPresent()) {
            try (Reader r = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the config file " + file.get() + ": " + e, e);
            }
        }
        return from(env, props);
    }

    /**
     * The configuration from file properties and environment variables (environment wins). An
     * environment variable is mapped back to a key by lower-casing it and turning '_' into '.';
     * keys with a '_' of their own therefore cannot be set from the environment (none of the
     * agent's own keys have one).
     */
    public static AgentConfig from(Map<String, String> env, Properties file) {
        Map<String, String> s = new TreeMap<>();
        file.stringPropertyNames().forEach(k -> s.put(k.trim(), file.getProperty(k).trim()));
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                s.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v.trim());
            }
        });
        for (String k : s.keySet()) {
            if (OWN_PREFIXES.stream().anyMatch(k::startsWith) && !KNOWN.contains(k)) {
                throw new ConfigException(k, s.get(k), "unknown setting (known: " + KNOWN + ")");
            }
        }
        HostId host = value(s, "host.id", Optional.ofNullable(env.get("HOSTNAME")).filter(h -> !h.isBlank())
                .orElse("localhost"), AgentConfig::hostId);
        String namespace = value(s, "topic.namespace", TopicCatalog.DEFAULT_NAMESPACE, Function.identity());
        int partitions = value(s, "topic.partitions", Integer.toString(TopicCatalog.DEFAULT_PARTITIONS),
                Integer::parseInt);
        value(s, "topic.namespace", namespace, n -> new TopicCatalog(n, partitions, Optional.empty()).commandsTopic(host));
        int port = value(s, "transfer.port", Integer.toString(DEFAULT_TRANSFER_PORT), Integer::parseInt);
        TransferConfig defaults = TransferConfig.defaults();
        String listen = value(s, "transfer.host", "0.0.0.0", Function.identity());
        int chunk = value(s, "transfer.chunk.bytes", Integer.toString(defaults.chunkBytes()), Integer::parseInt);
        long progress = value(s, "transfer.progress.bytes", Long.toString(defaults.progressEveryBytes()),
                Long::parseLong);
        Optional<TransferTls> tls = tls(s);
        TransferConfig transfer;
        try {
            transfer = new TransferConfig(listen, port, chunk, defaults.pollInterval(), progress,
                    defaults.handshakeTimeout(), defaults.connectTimeout(), defaults.workerThreads(), tls);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("transfer.*", "port " + port + ", chunk " + chunk + ", progress " + progress,
                    e.getMessage());
        }
        Map<String, String> kafka = new HashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX) && k.length() > KAFKA_PREFIX.length()) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        String bootstrap = kafka.getOrDefault("bootstrap.servers", "localhost:9092");
        return new AgentConfig(
                bootstrap,
                namespace,
                partitions,
                host,
                value(s, "agent.id", host.value() + "-agent", AgentId::new),
                value(s, "state.dir", "/var/lib/vfo-agent", Path::of),
                value(s, "backend", "kernel", v -> Backend.valueOf(v.toUpperCase(Locale.ROOT))),
                value(s, "devices", "", AgentConfig::devices),
                value(s, "sysfs.root", "/sys", Path::of),
                value(s, "dev.root", "/dev", Function.identity()),
                transfer,
                Optional.ofNullable(s.get("transfer.endpoint")).filter(e -> !e.isBlank()),
                value(s, "heartbeat.interval", "10s", AgentConfig::duration),
                value(s, "shutdown.grace.ms", "60000", v -> Duration.ofMillis(Long.parseLong(v))),
                kafka);
    }

    private static HostId hostId(String v) {
        if (v.length() > MAX_HOST_ID) {
            throw new IllegalArgumentException("a host id has at most " + MAX_HOST_ID + " characters");
        }
        return new HostId(v);
    }

    /**
     * Where other agents reach this one's transfer receiver, as DeviceRegistered reports it: the
     * configured endpoint, else the listen address unless it is a wildcard, else the host id.
     */
    public String advertisedEndpoint(int actualPort) {
        boolean wildcard = transfer.host().equals("0.0.0.0") || transfer.host().equals("::");
        return transferEndpoint.orElse((wildcard ? hostId.value() : transfer.host()) + ":" + actualPort);
    }

    public TopicCatalog topics() {
        return new TopicCatalog(namespace, topicPartitions, Optional.empty());
    }

    public AgentConfig withStateDir(Path dir) {
        return new AgentConfig(bootstrapServers, namespace, topicPartitions, hostId, agentId, dir, backend, devices,
                sysfsRoot, devRoot, transfer, transferEndpoint, heartbeatInterval, shutdownGrace, kafka);
    }

    public AgentConfig withTransfer(TransferConfig t) {
        return new AgentConfig(bootstrapServers, namespace, topicPartitions, hostId, agentId, stateDir, backend,
                devices, sysfsRoot, devRoot, t, transferEndpoint, heartbeatInterval, shutdownGrace, kafka);
    }

    public AgentConfig withDevices(List<DeviceSpec> d) {
        return new AgentConfig(bootstrapServers, namespace, topicPartitions, hostId, agentId, stateDir, backend, d,
                sysfsRoot, devRoot, transfer, transferEndpoint, heartbeatInterval, shutdownGrace, kafka);
    }

    private static Optional<TransferTls> tls(Map<String, String> s) {
        List<String> keys = List.of("transfer.tls.key", "transfer.tls.cert", "transfer.tls.trust");
        long given = keys.stream().filter(k -> !s.getOrDefault(k, "").isBlank()).count();
        if (given == 0) {
            return Optional.empty();
        }
        if (given != keys.size()) {
            throw new ConfigException("transfer.tls.*", String.valueOf(given) + " of 3 set",
                    "mutual TLS needs all of transfer.tls.key, transfer.tls.cert and transfer.tls.trust");
        }
        return Optional.of(new TransferTls(Path.of(s.get(keys.get(0))), Path.of(s.get(keys.get(1))),
                Path.of(s.get(keys.get(2))), value(s, "transfer.tls.verify.hostname", "false", Boolean::parseBoolean)));
    }

    private static <T> T value(Map<String, String> s, String key, String fallback, Function<String, T> parse) {
        String raw = s.getOrDefault(key, fallback);
        try {
            return parse.apply(raw);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(key, raw, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(text.trim());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (use 500ms, 10s, 2m or PT10S)");
        }
    }

    static List<DeviceSpec> devices(String text) {
        List<DeviceSpec> out = new ArrayList<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            Map<String, String> f = new HashMap<>();
            for (String field : entry.split(",")) {
                int eq = field.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("device field '" + field.trim() + "' is not key=value");
                }
                f.put(field.substring(0, eq).trim(), field.substring(eq + 1).trim());
            }
            List<String> known = List.of("name", "vm", "model", "state.bytes", "residue.bytes", "dirty.rate", "flags",
                    "arc.latency");
            for (String k : f.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown device field '" + k + "' (known: " + known + ")");
                }
            }
            if (!f.containsKey("name") || !f.containsKey("vm")) {
                throw new IllegalArgumentException("device '" + entry.trim() + "' needs name= and vm=");
            }
            out.add(new DeviceSpec(f.get("name"), new VmId(f.get("vm")), f.getOrDefault("model", DeviceSpec.DEFAULT_MODEL),
                    Long.parseLong(f.getOrDefault("state.bytes", Long.toString(DeviceSpec.DEFAULT_STATE_BYTES))),
                    Long.parseLong(f.getOrDefault("residue.bytes", Long.toString(DeviceSpec.DEFAULT_RESIDUE_BYTES))),
                    Long.parseLong(f.getOrDefault("dirty.rate", "0")),
                    dev.vfo.core.vfio.MigrationFlags.parse(f.getOrDefault("flags",
                            Long.toString(DeviceSpec.DEFAULT_FLAGS))).raw(),
                    duration(f.getOrDefault("arc.latency", "0ms"))));
        }
        long distinct = out.stream().map(DeviceSpec::name).distinct().count();
        if (distinct != out.size()) {
            throw new IllegalArgumentException("a device name appears twice");
        }
        return out;
    }
}
