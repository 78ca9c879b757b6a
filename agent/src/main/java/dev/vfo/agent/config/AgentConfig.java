package dev.vfo.agent.config;

import dev.vfo.agent.transfer.TransferConfig;
import dev.vfo.agent.transfer.TransferTls;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.schemas.settings.KafkaPassThrough;
import dev.vfo.schemas.settings.Settings;
import dev.vfo.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's configuration: one typed object per process.
 *
 * <p>Sources, lowest precedence first: the defaults of {@link AgentSetting}, a settings file of
 * {@code VFO_KEY=value} lines ({@code --config} or {@code VFO_CONFIG_FILE}; systemd
 * {@code EnvironmentFile=} syntax, so the unit's file is the agent's file), the environment. The
 * mechanics are the shared {@link Settings}: every problem is reported at once, an unknown
 * variable under one of the agent's own prefixes is an error (a typo must not silently leave a
 * default in force), and every {@code VFO_KAFKA_X_Y} is passed to the Kafka clients as {@code x.y}
 * (TLS, SASL), under the agent's own safety settings. docs/configuration.md lists the settings.
 */
public record AgentConfig(String bootstrapServers, String namespace, int topicPartitions, HostId hostId,
        AgentId agentId, Path stateDir, Backend backend, List<DeviceSpec> devices, Path sysfsRoot, String devRoot,
        TransferConfig transfer, Optional<String> transferEndpoint, Duration heartbeatInterval, Duration shutdownGrace,
        Map<String, String> kafka) {

    public static final int DEFAULT_TRANSFER_PORT = 7070;
    private static final int MAX_HOST_ID = 50;
    /** Prefixes only the agent uses: an unknown variable under them is a typo. */
    private static final List<String> OWNED_PREFIXES = List.of("VFO_TRANSFER_", "VFO_HEARTBEAT_", "VFO_SHUTDOWN_",
            "VFO_STATE_", "VFO_TOPIC_", "VFO_HOST_", "VFO_AGENT_", "VFO_SYSFS_", "VFO_DEV_");

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
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative");
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topic partitions must be at least 1");
        }
    }

    /**
     * The settings file ({@code file}, else the one {@code VFO_CONFIG_FILE} names), then the
     * environment over it.
     */
    public static AgentConfig load(Map<String, String> environment, Optional<Path> file) {
        return read(Settings.load(environment, file), environment);
    }

    /** From settings alone (no file): tests and the demo, which runs agents inside its process. */
    public static AgentConfig from(Map<String, String> settings) {
        return read(Settings.of(settings), settings);
    }

    private static AgentConfig read(Settings s, Map<String, String> environment) {
        s.rejectUnknown(OWNED_PREFIXES, Settings.all(AgentSetting.class));
        String hostText = s.optional(AgentSetting.HOST_ID).orElseGet(() -> Optional.ofNullable(environment.get("HOSTNAME"))
                .filter(h -> !h.isBlank()).orElse("localhost"));
        HostId host = new HostId("localhost");
        try {
            host = hostId(hostText);
        } catch (IllegalArgumentException e) {
            s.problem(AgentSetting.HOST_ID, "'" + hostText + "': " + e.getMessage());
        }
        String namespace = s.text(AgentSetting.TOPIC_NAMESPACE);
        int partitions = s.integer(AgentSetting.TOPIC_PARTITIONS, 1, 10_000);
        try {
            new TopicCatalog(namespace, partitions, Optional.empty()).commandsTopic(host);
        } catch (IllegalArgumentException e) {
            s.problem(AgentSetting.TOPIC_NAMESPACE.variable() + " and " + AgentSetting.HOST_ID.variable() + " ('"
                    + namespace + "', '" + hostText + "'): " + e.getMessage());
        }
        TransferConfig transfer = transfer(s);
        KafkaPassThrough kafka = s.kafka();
        AgentConfig config = new AgentConfig(
                kafka.bootstrapServers(),
                namespace,
                partitions,
                host,
                new AgentId(s.optional(AgentSetting.AGENT_ID).orElse(host.value() + "-agent")),
                s.value(AgentSetting.STATE_DIR, Path::of, Path.of(AgentSetting.STATE_DIR.defaultValue())),
                s.choice(AgentSetting.BACKEND, Backend.class),
                s.value(AgentSetting.DEVICES, AgentConfig::devices, List.of()),
                s.value(AgentSetting.SYSFS_ROOT, Path::of, Path.of(AgentSetting.SYSFS_ROOT.defaultValue())),
                s.text(AgentSetting.DEV_ROOT),
                transfer,
                s.optional(AgentSetting.TRANSFER_ENDPOINT),
                s.duration(AgentSetting.HEARTBEAT_INTERVAL),
                Duration.ofMillis(s.longInteger(AgentSetting.SHUTDOWN_GRACE_MS, 0, 3_600_000)),
                kafka.properties());
        s.throwIfInvalid("agent");
        return config;
    }

    private static TransferConfig transfer(Settings s) {
        TransferConfig defaults = TransferConfig.defaults();
        int port = s.integer(AgentSetting.TRANSFER_PORT, 0, 65535);
        int chunk = s.integer(AgentSetting.TRANSFER_CHUNK_BYTES, 1, Integer.MAX_VALUE);
        long progress = s.longInteger(AgentSetting.TRANSFER_PROGRESS_BYTES, 1, Long.MAX_VALUE);
        try {
            return new TransferConfig(s.text(AgentSetting.TRANSFER_HOST), port, chunk, defaults.pollInterval(), progress,
                    defaults.handshakeTimeout(), defaults.connectTimeout(), defaults.workerThreads(), tls(s));
        } catch (IllegalArgumentException e) {
            s.problem("VFO_TRANSFER_*: " + e.getMessage());
            return defaults;
        }
    }

    private static HostId hostId(String v) {
        if (v.length() > MAX_HOST_ID) {
            throw new IllegalArgumentException("a host id has at most " + MAX_HOST_ID + " characters");
        }
        return new HostId(v);
    }

    /** Every setting, with the Kafka pass-through's secrets (key store passwords, JAAS lines) masked. */
    @Override
    public String toString() {
        return "AgentConfig[bootstrapServers=" + bootstrapServers + ", namespace=" + namespace + ", topicPartitions="
                + topicPartitions + ", hostId=" + hostId + ", agentId=" + agentId + ", stateDir=" + stateDir
                + ", backend=" + backend + ", devices=" + devices + ", sysfsRoot=" + sysfsRoot + ", devRoot=" + devRoot
                + ", transfer=" + transfer + ", transferEndpoint=" + transferEndpoint + ", heartbeatInterval="
                + heartbeatInterval + ", shutdownGrace=" + shutdownGrace + ", kafka=" + new KafkaPassThrough(kafka) + "]";
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

    private static Optional<TransferTls> tls(Settings s) {
        List<AgentSetting> keys = List.of(AgentSetting.TRANSFER_TLS_KEY, AgentSetting.TRANSFER_TLS_CERT,
                AgentSetting.TRANSFER_TLS_TRUST);
        List<Path> given = keys.stream().flatMap(k -> s.optional(k).map(Path::of).stream()).toList();
        boolean verify = s.bool(AgentSetting.TRANSFER_TLS_VERIFY_HOSTNAME);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (given.size() != keys.size()) {
            s.problem("VFO_TRANSFER_TLS_*: " + given.size() + " of 3 set; mutual TLS needs all of VFO_TRANSFER_TLS_KEY,"
                    + " VFO_TRANSFER_TLS_CERT and VFO_TRANSFER_TLS_TRUST");
            return Optional.empty();
        }
        return Optional.of(new TransferTls(given.get(0), given.get(1), given.get(2), verify));
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
                    MigrationFlags.parse(f.getOrDefault("flags",
                            Long.toString(DeviceSpec.DEFAULT_FLAGS))).raw(),
                    Settings.parseDuration(f.getOrDefault("arc.latency", "0ms"))));
        }
        long distinct = out.stream().map(DeviceSpec::name).distinct().count();
        if (distinct != out.size()) {
            throw new IllegalArgumentException("a device name appears twice");
        }
        return out;
    }
}
