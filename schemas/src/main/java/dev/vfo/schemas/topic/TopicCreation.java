package dev.vfo.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates catalog topics idempotently. A topic that exists with the catalog's partition count and
 * cleanup policy is fine (other config differences are reported, not changed: an operator may have
 * tuned them). A different partition count or cleanup policy is an error naming the topic, since
 * it would break co-partitioning or delete the log. Concurrent creators are fine: losing the race
 * counts as "exists" and is then checked like any existing topic.
 */
public final class TopicCreation {

    private TopicCreation() {}

    /** What happened to one topic. {@code differences} lists config values that differ from the catalog. */
    public record Outcome(String topic, Status status, List<String> differences) {
        public Outcome {
            Objects.requireNonNull(topic);
            Objects.requireNonNull(status);
            differences = List.copyOf(differences);
        }
    }

    public enum Status {
        CREATED,
        EXISTS
    }

    /** A topic exists with a shape vfo cannot work with; the message names every such topic. */
    public static final class TopicMismatch extends IllegalStateException {
        private final List<String> problems;

        TopicMismatch(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * Ensures every topic exists as specified. Throws {@link TopicMismatch} for a wrong partition count
     * or cleanup policy, {@link IllegalStateException} when the cluster does not answer within {@code timeout}.
     */
    public static List<Outcome> ensure(Admin admin, Collection<TopicSpec> topics, Duration timeout) {
        Map<String, TopicSpec> byName = topics.stream().collect(Collectors.toMap(TopicSpec::name, t -> t));
        List<Outcome> outcomes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<TopicSpec> missing = new ArrayList<>();
        Map<String, TopicDescription> existing = new java.util.HashMap<>();
        admin.describeTopics(byName.keySet()).topicNameValues().forEach((name, future) -> {
            try {
                existing.put(name, future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topic " + name + ": " + e.getCause(), e);
                }
                missing.add(byName.get(name));
            } catch (InterruptedException | TimeoutException e) {
                throw interrupted("describe topic " + name, e);
            }
        });
        if (!missing.isEmpty()) {
            List<NewTopic> create = missing.stream()
                    .map(t -> new NewTopic(t.name(), java.util.Optional.of(t.partitions()), t.replicationFactor())
                            .configs(t.configs()))
                    .collect(Collectors.toList());
            admin.createTopics(create).values().forEach((name, future) -> {
                try {
                    future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    outcomes.add(new Outcome(name, Status.CREATED, List.of()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                    }
                    existing.put(name, describe(admin, name, timeout));
                } catch (InterruptedException | TimeoutException e) {
                    throw interrupted("create topic " + name, e);
                }
            });
        }
        if (!existing.isEmpty()) {
            Map<String, Config> configs = describeConfigs(admin, existing.keySet(), timeout);
            for (TopicDescription d : existing.values()) {
                TopicSpec spec = byName.get(d.name());
                if (d.partitions().size() != spec.partitions()) {
                    problems.add("topic " + d.name() + " has " + d.partitions().size() + " partitions, the catalog says "
                            + spec.partitions() + " (the count cannot change without moving keys; recreate it or"
                            + " configure the catalog to match)");
                }
                List<String> differences = new ArrayList<>();
                Config actual = configs.get(d.name());
                spec.configs().forEach((key, wanted) -> {
                    ConfigEntry entry = actual == null ? null : actual.get(key);
                    String value = entry == null ? null : entry.value();
                    if (!wanted.equals(value)) {
                        String diff = key + "=" + value + " (catalog: " + wanted + ")";
                        if (key.equals("cleanup.policy")) {
                            problems.add("topic " + d.name() + " has " + diff);
                        } else {
                            differences.add(diff);
                        }
                    }
                });
                outcomes.add(new Outcome(d.name(), Status.EXISTS, differences));
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicMismatch(problems);
        }
        return outcomes;
    }

    /**
     * Describes a topic that exists (creation said so). A topic created a moment ago, by us or a
     * concurrent creator, can still be unknown to the broker that answers: retry until the timeout.
     */
    private static TopicDescription describe(Admin admin, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(name)).topicNameValues().get(name)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot describe topic " + name + ": " + e.getCause(), e);
                }
            } catch (InterruptedException | TimeoutException e) {
                throw interrupted("describe topic " + name, e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw interrupted("describe topic " + name, e);
            }
        }
    }

    private static Map<String, Config> describeConfigs(Admin admin, Collection<String> names, Duration timeout) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).collect(Collectors.toList());
        try {
            return admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read topic configs: " + e.getCause(), e);
        } catch (InterruptedException | TimeoutException e) {
            throw interrupted("read topic configs", e);
        }
    }

    private static IllegalStateException interrupted(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("could not " + what + ": " + e, e);
    }
}
