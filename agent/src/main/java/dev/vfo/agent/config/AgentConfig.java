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
 * <p>Sources, lowest precedence first: the defaults below, a properties file, the environment. A
 * file key {@code heartbeat.interval} is the environment variable {@code VFO_HEARTBEAT_INTERVAL}
 * (upper case, dots as underscores, prefix {@code VFO_}). Keys:
 * <pre>
 *  bootstrap.servers      localhost:9092       Kafka bootstrap servers
 *  namespace              vfo                  topic namespace (TopicCatalog)
 *  host.id                $HOSTNAME|localhost  this host; the agent reads vfo.commands.&lt;host.id&gt; only
 *  agent.id               &lt;host.id&gt;-agent      this agent process
 *  state.dir              /var/lib/vfo/agent   applied commands, sequences, epochs, offsets
 *  backend                kernel               kernel | simulated
 *  devices                (none)               ';'-separated devices, each ','-separated key=value:
 *                                              name=..,vm=..[,model=..][,state.bytes=..]
 *                                              [,residue.bytes=..][,dirty.rate=..]
 *  sysfs.root / dev.root  /sys, /dev           kernel backend only
 *  transfer.host          0.0.0.0              where the transfer receiver listens
 *  transfer.port          7470                 0 picks a free port
 *  transfer.endpoint      &lt;host.id&gt;:&lt;port&gt;     what other agents connect to (reported in DeviceRegistered);
 *                                              default: transfer.host unless a wildcard, else host.id
 *  transfer.chunk.bytes   1048576              largest DATA frame: the per-transfer buffer
 *  transfer.progress.bytes 67108864            bytes between two DataTransferProgress events
 *  transfer.tls.key / .cert / .trust           PEM paths, all three for mutual TLS, none for TCP
 *  heartbeat.interval     10s                  as 500ms, 10s, 2m or ISO-8601 (PT10S)
 *  kafka.*                                     passed to the Kafka clients (TLS, SASL), e.g.
 *                                              VFO_KAFKA_SECURITY_PROTOCOL=SASL_SSL
 * </pre>
 * The agent enforces its own producer safety settings (idempotence, acks=all) over any pass-through.
 */
public record AgentConfig(String bootstrapServers, String namespace, HostId hostId, AgentId agentId, Path stateDir,
        Backend backend, List<DeviceSpec> devices, Path sysfsRoot, String devRoot, TransferConfig transfer,
        Optional<String> transferEndpoint, Duration heartbeatInterval, Map<String, String> kafka) {

    public static final String ENV_PREFIX = "VFO_";
    private static final String KAFKA_PREFIX = "kafka.";

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
        kafka = Map.copyOf(kafka);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat.interval must be positive");
        }
    }

    /** The environment variable that overrides file key {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Reads the optional file, then overlays the environment. */
    public static AgentConfig load(Map<String, String> env, Optional<Path> file) {
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
        HostId host = value(s, "host.id", Optional.ofNullable(env.get("HOSTNAME")).filter(h -> !h.isBlank())
                .orElse("localhost"), HostId::new);
        new TopicCatalog(value(s, "namespace", TopicCatalog.DEFAULT_NAMESPACE, Function.identity()), 1,
                Optional.empty()).commandsTopic(host);
        int port = value(s, "transfer.port", Integer.toString(TransferConfig.DEFAULT_PORT), Integer::parseInt);
        TransferConfig transfer = TransferConfig.defaults();
        transfer = new TransferConfig(value(s, "transfer.host", "0.0.0.0", Function.identity()), port,
                value(s, "transfer.chunk.bytes", Integer.toString(transfer.chunkBytes()), Integer::parseInt),
                transfer.pollInterval(),
                value(s, "transfer.progress.bytes", Long.toString(transfer.progressEveryBytes()), Long::parseLong),
                transfer.handshakeTimeout(), transfer.connectTimeout(), transfer.workerThreads(), tls(s));
        Map<String, String> kafka = new HashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX) && k.length() > KAFKA_PREFIX.length()) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return new AgentConfig(
                value(s, "bootstrap.servers", "localhost:9092", Function.identity()),
                value(s, "namespace", TopicCatalog.DEFAULT_NAMESPACE, Function.identity()),
                host,
                value(s, "agent.id", host.value() + "-agent", AgentId::new),
                value(s, "state.dir", "/var/lib/vfo/agent", Path::of),
                value(s, "backend", "kernel", v -> Backend.valueOf(v.toUpperCase(Locale.ROOT))),
                value(s, "devices", "", AgentConfig::devices),
                value(s, "sysfs.root", "/sys", Path::of),
                value(s, "dev.root", "/dev", Function.identity()),
                transfer,
                Optional.ofNullable(s.get("transfer.endpoint")).filter(e -> !e.isBlank()),
                value(s, "heartbeat.interval", "10s", AgentConfig::duration),
                kafka);
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
        return new TopicCatalog(namespace, TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
    }

    public AgentConfig withStateDir(Path dir) {
        return new AgentConfig(bootstrapServers, namespace, hostId, agentId, dir, backend, devices, sysfsRoot,
                devRoot, transfer, transferEndpoint, heartbeatInterval, kafka);
    }

    public AgentConfig withTransfer(TransferConfig t) {
        return new AgentConfig(bootstrapServers, namespace, hostId, agentId, stateDir, backend, devices, sysfsRoot,
                devRoot, t, transferEndpoint, heartbeatInterval, kafka);
    }

    public AgentConfig withDevices(List<DeviceSpec> d) {
        return new AgentConfig(bootstrapServers, namespace, hostId, agentId, stateDir, backend, d, sysfsRoot,
                devRoot, transfer, transferEndpoint, heartbeatInterval, kafka);
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
            List<String> known = List.of("name", "vm", "model", "state.bytes", "residue.bytes", "dirty.rate");
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
                    Long.parseLong(f.getOrDefault("dirty.rate", "0"))));
        }
        long distinct = out.stream().map(DeviceSpec::name).distinct().count();
        if (distinct != out.size()) {
            throw new IllegalArgumentException("a device name appears twice");
        }
        return out;
    }
}
