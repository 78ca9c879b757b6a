package dev.vfo.coordinator.cli;

import dev.vfo.coordinator.config.CoordinatorConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vfo coordinator}: runs the exactly-once loop, the read model and the REST API until the
 * process is told to stop. Options override the environment ({@code VFO_*}, see CoordinatorConfig)
 * and the file it names. Exits non-zero when it cannot start or the loop stops on a fatal error.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Runs the coordinator: the saga over Kafka (exactly once) and the REST API.")
public final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (VFO_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--config", description = "A settings file of VFO_KEY=value lines, systemd EnvironmentFile= syntax; the environment"
            + " overrides it (VFO_CONFIG_FILE).")
    String configFile;

    @Option(names = "--instance-id", description = "This instance's stable name; its transactional id (VFO_INSTANCE_ID).")
    String instanceId;

    @Option(names = "--namespace", description = "Topic namespace (VFO_TOPIC_NAMESPACE, default vfo).")
    String namespace;

    @Option(names = "--partitions", description = "Partition count of the VM-keyed topics, fixed at creation"
            + " (VFO_TOPIC_PARTITIONS, default 12).")
    Integer partitions;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        Optional.ofNullable(configFile).ifPresent(f -> env.put("VFO_CONFIG_FILE", f));
        Optional.ofNullable(bootstrapServers).ifPresent(b -> env.put("VFO_KAFKA_BOOTSTRAP_SERVERS", b));
        Optional.ofNullable(instanceId).ifPresent(i -> env.put("VFO_INSTANCE_ID", i));
        Optional.ofNullable(namespace).ifPresent(n -> env.put("VFO_TOPIC_NAMESPACE", n));
        Optional.ofNullable(partitions).ifPresent(p -> env.put("VFO_TOPIC_PARTITIONS", p.toString()));
        CoordinatorConfig config = CoordinatorConfig.load(env);
        CoordinatorNode node = CoordinatorNode.start(config, config.topics());
        Thread hook = new Thread(node::close, "vfo-coordinator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        node.awaitLoop();
        if (node.fatal().isPresent()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            node.close();
            throw new IllegalStateException("the saga loop stopped: " + node.fatal().get(), node.fatal().get());
        }
        return 0;
    }
}
