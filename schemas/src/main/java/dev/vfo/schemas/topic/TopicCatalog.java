package dev.vfo.schemas.topic;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * Every vfo topic, defined once: names, keys, partition counts, cleanup and retention. Every
 * producer, consumer and the {@code vfo topics} admin command take names and settings from here.
 *
 * <ul>
 *   <li>{@code <ns>.device-events}: agents to coordinator, key VM id, delete, kept forever (audits
 *       replay it years later).</li>
 *   <li>{@code <ns>.requests}: control-plane requests (start, cancel) to the coordinator instance
 *       that owns the VM's partition; key VM id; kept 7 days (the coordinator log records each
 *       request it takes).</li>
 *   <li>{@code <ns>.coordinator-log}: the coordinator's own log, key VM id, kept forever; each
 *       record carries the hash of its VM's previous record.</li>
 *   <li>{@code <ns>.snapshots}: compacted saga snapshots, co-partitioned with the coordinator log
 *       (same key and partition count), tombstones kept a day.</li>
 *   <li>{@code <ns>.dead-letters}: records no decoder could read, under their original key, with
 *       their bytes and the reason; 3 partitions, kept 365 days.</li>
 *   <li>{@code <ns>.commands.<hostId>}: coordinator to that host's agent, 1 partition, key VM id,
 *       kept 7 days (commands have deadlines; the coordinator log is their durable record).
 *       A topic per host is what lets Kafka ACLs enforce that an agent reads only its own host's
 *       commands: the agent's principal gets a LITERAL {@code READ} (and {@code DESCRIBE}) ACL on
 *       exactly {@code <ns>.commands.<its hostId>} and none on the others; the coordinator gets a
 *       PREFIXED {@code WRITE} ACL on {@code <ns>.commands.}. Per-host topics are created when a
 *       host joins ({@link #commands(HostId)}), not with the cluster topics.</li>
 * </ul>
 *
 * <p>All VM-keyed topics share one partition count (default {@value #DEFAULT_PARTITIONS}): a VM's
 * device events, requests, log and snapshot then live in partitions with the same number, so one
 * coordinator instance owns all of them. The count is fixed at creation and never changed,
 * because changing it moves keys between partitions.
 */
public final class TopicCatalog {

    public static final String DEFAULT_NAMESPACE = "vfo";
    public static final int DEFAULT_PARTITIONS = 12;
    public static final int DEAD_LETTER_PARTITIONS = 3;

    private static final String FOREVER = "-1";
    private static final String WEEK = Long.toString(Duration.ofDays(7).toMillis());
    private static final String YEAR = Long.toString(Duration.ofDays(365).toMillis());
    private static final String DAY = Long.toString(Duration.ofDays(1).toMillis());
    /** Kafka's limit; topic names longer than this are refused by the broker. */
    private static final int MAX_TOPIC_NAME = 249;

    private final String namespace;
    private final int vmPartitions;
    private final Optional<Short> replicationFactor;

    /**
     * @param namespace the topic name prefix (before the first dot), letters digits - and _
     * @param vmPartitions the partition count of every VM-keyed topic
     * @param replicationFactor empty for the broker's default
     */
    public TopicCatalog(String namespace, int vmPartitions, Optional<Short> replicationFactor) {
        if (namespace == null || !namespace.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("namespace '" + namespace + "' must be 1-64 of A-Z a-z 0-9 _ -");
        }
        if (vmPartitions < 1) {
            throw new IllegalArgumentException("vmPartitions must be at least 1, was " + vmPartitions);
        }
        this.namespace = namespace;
        this.vmPartitions = vmPartitions;
        this.replicationFactor = replicationFactor;
    }

    /** Namespace {@code vfo}, 12 partitions, the broker's replication factor. */
    public static TopicCatalog defaults() {
        return new TopicCatalog(DEFAULT_NAMESPACE, DEFAULT_PARTITIONS, Optional.empty());
    }

    public int vmPartitions() {
        return vmPartitions;
    }

    public TopicSpec deviceEvents() {
        return vmKeyed("device-events", Map.of("cleanup.policy", "delete", "retention.ms", FOREVER,
                "retention.bytes", FOREVER), "agent events to the coordinator");
    }

    public TopicSpec requests() {
        return vmKeyed("requests", Map.of("cleanup.policy", "delete", "retention.ms", WEEK),
                "control-plane requests to the coordinator owning the VM");
    }

    public TopicSpec coordinatorLog() {
        return vmKeyed("coordinator-log", Map.of("cleanup.policy", "delete", "retention.ms", FOREVER,
                "retention.bytes", FOREVER), "the coordinator's hash-chained log per VM");
    }

    public TopicSpec snapshots() {
        return vmKeyed("snapshots", Map.of("cleanup.policy", "compact", "delete.retention.ms", DAY,
                "min.compaction.lag.ms", "0"), "compacted saga snapshots, co-partitioned with the coordinator log");
    }

    public TopicSpec deadLetters() {
        return new TopicSpec(namespace + ".dead-letters", DEAD_LETTER_PARTITIONS, replicationFactor,
                Map.of("cleanup.policy", "delete", "retention.ms", YEAR), TopicSpec.Key.ORIGINAL_KEY,
                "undecodable records with their bytes and reason");
    }

    /** The command topic of one host; refuses a host id that is not a legal topic name part. */
    public TopicSpec commands(HostId host) {
        return new TopicSpec(commandsTopic(host), 1, replicationFactor,
                Map.of("cleanup.policy", "delete", "retention.ms", WEEK), TopicSpec.Key.VM_ID,
                "commands to the agent of host " + host);
    }

    public String commandsTopic(HostId host) {
        String name = commandsPrefix() + host.value();
        if (!host.value().matches("[A-Za-z0-9._-]+") || name.length() > MAX_TOPIC_NAME) {
            throw new IllegalArgumentException("host id '" + host + "' cannot name a Kafka topic: it may use only"
                    + " A-Z a-z 0-9 . _ - (no ':' or '/') and '" + name + "' must be at most " + MAX_TOPIC_NAME
                    + " characters");
        }
        return name;
    }

    /** Prefix of every per-host command topic (the coordinator's PREFIXED write ACL). */
    public String commandsPrefix() {
        return namespace + ".commands.";
    }

    /** The host a command topic belongs to, or empty for any other topic. */
    public Optional<HostId> hostOf(String topic) {
        if (!topic.startsWith(commandsPrefix()) || topic.length() == commandsPrefix().length()) {
            return Optional.empty();
        }
        return Optional.of(new HostId(topic.substring(commandsPrefix().length())));
    }

    /** The topics a cluster needs before any process starts (per-host command topics come later). */
    public List<TopicSpec> clusterTopics() {
        return List.of(deviceEvents(), requests(), coordinatorLog(), snapshots(), deadLetters());
    }

    /** The record key of everything about {@code vm}. */
    public static byte[] key(VmId vm) {
        return vm.value().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The partition of {@code vm} in every VM-keyed topic: what Kafka's default partitioner picks for
     * the key (murmur2, positive, modulo the count), so a coordinator knows which instance owns a VM.
     */
    public int partitionOf(VmId vm) {
        return Utils.toPositive(Utils.murmur2(key(vm))) % vmPartitions;
    }

    private TopicSpec vmKeyed(String suffix, Map<String, String> configs, String purpose) {
        return new TopicSpec(namespace + "." + suffix, vmPartitions, replicationFactor, configs, TopicSpec.Key.VM_ID,
                purpose);
    }
}
