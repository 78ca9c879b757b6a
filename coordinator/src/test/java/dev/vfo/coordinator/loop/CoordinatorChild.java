package dev.vfo.coordinator.loop;

import dev.vfo.coordinator.cli.CoordinatorNode;
import dev.vfo.coordinator.config.CoordinatorConfig;
import dev.vfo.schemas.topic.TopicCatalog;
import java.util.Map;
import java.util.Optional;

/**
 * A coordinator in a JVM of its own, for the test that kills one: {@code <bootstrap> <namespace>
 * <partitions> <instance id>}. Prints {@code PORT=<n>} once the API serves, then runs until killed.
 */
public final class CoordinatorChild {
    private CoordinatorChild() {}

    public static void main(String[] args) throws InterruptedException {
        CoordinatorNode node = CoordinatorNode.start(settings(args[0], args[3]),
                new TopicCatalog(args[1], Integer.parseInt(args[2]), Optional.empty()));
        System.out.println("PORT=" + node.port());
        System.out.flush();
        node.awaitLoop();
        System.exit(node.fatal().isPresent() ? 1 : 0);
    }

    static CoordinatorConfig settings(String bootstrap, String instance) {
        return CoordinatorConfig.from(Map.of(
                "VFO_HTTP_PORT", "0",
                "VFO_API_TOKENS", Api.TOKENS,
                "VFO_API_CREATE_BURST", "100",
                "VFO_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "VFO_INSTANCE_ID", instance));
    }
}
