package dev.vfo.agent.config;

import dev.vfo.schemas.settings.Definition;

/**
 * Every setting of the agent, with its variable name and default (empty: unset or derived). Kafka
 * client properties have no entry: any {@code VFO_KAFKA_X_Y} becomes the client property
 * {@code x.y} ({@link dev.vfo.schemas.settings.KafkaPassThrough}); {@code VFO_KAFKA_BOOTSTRAP_SERVERS}
 * defaults to {@code localhost:9092}.
 */
public enum AgentSetting implements Definition {
    CONFIG_FILE("VFO_CONFIG_FILE", "", "A file of VFO_KEY=value lines (systemd EnvironmentFile= syntax) with any of"
            + " these settings; the environment overrides it. Also --config."),
    HOST_ID("VFO_HOST_ID", "", "This host's id (default: $HOSTNAME, else localhost); the agent reads"
            + " <namespace>.commands.<host id> only. At most 50 characters, letters, digits, . _ -."),
    AGENT_ID("VFO_AGENT_ID", "", "This agent process's id (default: <host id>-agent); also the Kafka client id."),
    TOPIC_NAMESPACE("VFO_TOPIC_NAMESPACE", "vfo", "Topic name prefix."),
    TOPIC_PARTITIONS("VFO_TOPIC_PARTITIONS", "12", "Partitions of the VM-keyed topics (used only when creating them)."),
    STATE_DIR("VFO_STATE_DIR", "/var/lib/vfo-agent", "Journal of applied commands, sequences, epochs and offsets."),
    BACKEND("VFO_BACKEND", "kernel", "kernel (VFIO devices through the uAPI) or simulated (in-memory devices)."),
    DEVICES("VFO_DEVICES", "", "';'-separated devices, each ','-separated key=value: name=..,vm=..[,model=..]"
            + "[,state.bytes=..][,residue.bytes=..][,dirty.rate=..] (name: a PCI address for the kernel backend)."),
    SYSFS_ROOT("VFO_SYSFS_ROOT", "/sys", "Where sysfs is (kernel backend)."),
    DEV_ROOT("VFO_DEV_ROOT", "/dev", "Where the VFIO device nodes are (kernel backend)."),
    TRANSFER_HOST("VFO_TRANSFER_HOST", "0.0.0.0", "Address the transfer receiver listens on."),
    TRANSFER_PORT("VFO_TRANSFER_PORT", "7070", "Port of the transfer receiver (0 picks a free one)."),
    TRANSFER_ENDPOINT("VFO_TRANSFER_ENDPOINT", "", "host:port other agents connect to (reported in DeviceRegistered);"
            + " default: the listen address unless a wildcard, else the host id, with the port."),
    TRANSFER_CHUNK_BYTES("VFO_TRANSFER_CHUNK_BYTES", "1048576", "Largest DATA frame, the per-transfer buffer."),
    TRANSFER_PROGRESS_BYTES("VFO_TRANSFER_PROGRESS_BYTES", "67108864", "Bytes between two DataTransferProgress events."),
    TRANSFER_TLS_KEY("VFO_TRANSFER_TLS_KEY", "", "PEM private key for mutual TLS between agents (all three or none)."),
    TRANSFER_TLS_CERT("VFO_TRANSFER_TLS_CERT", "", "PEM certificate chain for mutual TLS between agents."),
    TRANSFER_TLS_TRUST("VFO_TRANSFER_TLS_TRUST", "", "PEM CA bundle peer agents' certificates must chain to."),
    TRANSFER_TLS_VERIFY_HOSTNAME("VFO_TRANSFER_TLS_VERIFY_HOSTNAME", "false",
            "Also check the peer's name against its certificate."),
    HEARTBEAT_INTERVAL("VFO_HEARTBEAT_INTERVAL", "10s", "Between two AgentHeartbeat events: 500ms, 10s, 2m or PT10S."),
    SHUTDOWN_GRACE_MS("VFO_SHUTDOWN_GRACE_MS", "60000", "On SIGTERM, how long the arc in hand and aborted transfers"
            + " get to report before the agent exits.");

    private final Spec spec;

    AgentSetting(String variable, String defaultValue, String description) {
        this.spec = new Spec(variable, defaultValue, description);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
