package dev.vfo.cli;

import dev.vfo.core.protocol.HostId;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import dev.vfo.schemas.topic.TopicSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vfo topics create|list}: the catalog's topics on an operator's own Kafka cluster, so they
 * can be created ahead of the processes (and reviewed) where the processes' principals may not
 * create topics. Both commands speak only through {@link TopicCatalog} and {@link TopicCreation}:
 * the one description of the topics and the one way to create them.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates or lists vfo's Kafka topics on a cluster.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
public final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (create or list)");
    }

    /** Where the cluster is and which catalog to use; shared by both subcommands. */
    static final class Cluster {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "The Kafka cluster's bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE",
                description = "Kafka client properties (TLS, SASL) for the admin client.")
        Path commandConfig;

        @Option(names = "--namespace", defaultValue = TopicCatalog.DEFAULT_NAMESPACE, paramLabel = "NS",
                description = "Topic namespace (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--partitions", defaultValue = "" + TopicCatalog.DEFAULT_PARTITIONS, paramLabel = "N",
                description = "Partition count of the VM-keyed topics, fixed at creation (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Replication factor (default: the cluster's default).")
        Short replicationFactor;

        @Option(names = "--timeout", defaultValue = "PT60S", paramLabel = "DURATION",
                description = "How long to wait for the cluster, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        TopicCatalog catalog() {
            return new TopicCatalog(namespace, partitions, Optional.ofNullable(replicationFactor));
        }

        Admin admin() {
            Map<String, Object> props = new HashMap<>();
            if (commandConfig != null) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new InvalidRequest("--command-config: cannot read " + commandConfig + ": " + e.getMessage());
                }
                p.forEach((k, v) -> props.put(k.toString(), v));
            }
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return Admin.create(props);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates the cluster topics (and the command topic of each --host) if missing; "
                    + "an existing topic of the wrong shape is an error.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every topic exists as the catalog says", "1:a topic has the wrong shape, "
                    + "or the cluster did not answer", "2:invalid options"})
    static final class Create implements Callable<Integer> {
        @Mixin
        Cluster cluster;

        @Option(names = "--host", paramLabel = "HOST_ID", description = "Also create this host's command topic (repeatable).")
        List<String> hosts = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TopicCatalog catalog = cluster.catalog();
            List<TopicSpec> topics = new ArrayList<>(catalog.clusterTopics());
            for (String h : hosts) {
                try {
                    topics.add(catalog.commands(new HostId(h)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest("--host " + h + ": " + e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = cluster.admin()) {
                for (TopicCreation.Outcome o : TopicCreation.ensure(admin, topics, cluster.timeout)) {
                    out.println(o.status().name().toLowerCase(java.util.Locale.ROOT) + "\t" + o.topic()
                            + (o.differences().isEmpty() ? "" : "\tdiffers: " + String.join("; ", o.differences())));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the namespace's topics on the cluster with their partition counts, "
                    + "and the catalog's topics that are missing.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every cluster topic of the catalog exists", "1:some are missing, "
                    + "or the cluster did not answer", "2:invalid options"})
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        Cluster cluster;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TopicCatalog catalog = cluster.catalog();
            PrintWriter out = spec.commandLine().getOut();
            String prefix = cluster.namespace + ".";
            try (Admin admin = cluster.admin()) {
                long timeout = cluster.timeout.toMillis();
                Set<String> present = new TreeSet<>(admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS));
                present.removeIf(t -> !t.startsWith(prefix));
                Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                        .get(timeout, TimeUnit.MILLISECONDS);
                for (String t : present) {
                    TopicDescription d = described.get(t);
                    out.println(t + "\t" + d.partitions().size() + " partitions\treplicas "
                            + d.partitions().get(0).replicas().size());
                }
                List<String> missing = catalog.clusterTopics().stream().map(TopicSpec::name)
                        .filter(n -> !present.contains(n)).toList();
                missing.forEach(n -> out.println(n + "\tMISSING (vfo topics create)"));
                out.flush();
                return missing.isEmpty() ? 0 : Vfo.FAILED;
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the cluster at " + cluster.bootstrapServers + " did not answer: " + e, e);
            }
        }
    }
}
