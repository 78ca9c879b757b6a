package dev.vfo.bench;

import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicCreation;
import dev.vfo.schemas.topic.TopicSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What every scenario of one run shares: the budget, the broker, and a namespace of its own so a
 * run never reads another run's records (topics are created fresh under it).
 *
 * @param broker how the broker was chosen, for the report ("embedded (in-JVM, 127.0.0.1)" or the
 *     given bootstrap servers)
 * @param progress where scenarios say what they are doing (stderr: stdout carries the table)
 */
public record BenchContext(Budget budget, String bootstrapServers, String broker, String namespace,
        PrintStream progress) {

    public BenchContext {
        Objects.requireNonNull(budget);
        Objects.requireNonNull(bootstrapServers);
        Objects.requireNonNull(broker);
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(progress);
    }

    /** The product's topic layout under this run's namespace (replication: the broker's default). */
    public TopicCatalog catalog() {
        return new TopicCatalog(namespace, TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
    }

    /** A bench-only topic (not part of the catalog) under this run's namespace. */
    public TopicSpec scratchTopic(String name, int partitions) {
        return new TopicSpec(namespace + ".bench." + name, partitions, Optional.empty(), Map.of(),
                TopicSpec.Key.VM_ID, "benchmark scratch topic");
    }

    /**
     * Creates the topics (idempotently, through the product's one way of doing it) and waits until
     * every partition has a leader, so no measurement starts with the clients' leader-election retries.
     */
    public void ensure(List<TopicSpec> topics) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicCreation.ensure(admin, topics, Duration.ofSeconds(60));
            List<String> names = topics.stream().map(TopicSpec::name).toList();
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!allLed(admin, names)) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("topics " + names + " have partitions without a leader after 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** False also while the answering broker does not know a topic just created yet (TopicCreation's race). */
    private static boolean allLed(Admin admin, List<String> names) throws InterruptedException, ExecutionException {
        Collection<TopicDescription> topics;
        try {
            topics = admin.describeTopics(names).allTopicNames().get().values();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        return topics.stream().flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    public void say(String line) {
        progress.println("vfo bench: " + line);
        progress.flush();
    }
}
