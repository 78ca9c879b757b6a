package dev.vfo.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    private final TopicCatalog catalog = TopicCatalog.defaults();

    @Test
    void theClusterTopicsAsTheIssueNamesThem() {
        assertThat(catalog.clusterTopics().stream().map(TopicSpec::name).collect(Collectors.toList()))
                .containsExactly("vfo.device-events", "vfo.requests", "vfo.coordinator-log", "vfo.snapshots",
                        "vfo.dead-letters");
        assertThat(catalog.commandsTopic(new HostId("hv-rack07-12"))).isEqualTo("vfo.commands.hv-rack07-12");
    }

    @Test
    void everyVmKeyedTopicSharesOnePartitionCount() {
        TopicCatalog seven = new TopicCatalog("vfo", 7, java.util.Optional.empty());
        assertThat(seven.clusterTopics().stream().filter(t -> t.key() == TopicSpec.Key.VM_ID))
                .hasSize(4).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(7));
        assertThat(seven.deadLetters().partitions()).isEqualTo(3);
        assertThat(seven.commands(new HostId("h")).partitions()).isEqualTo(1);
    }

    @Test
    void retentionAndCleanup() {
        assertThat(catalog.deviceEvents().configs()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
        assertThat(catalog.coordinatorLog().configs()).containsEntry("retention.ms", "-1");
        assertThat(catalog.snapshots().cleanupPolicy()).isEqualTo("compact");
        assertThat(Long.parseLong(catalog.deadLetters().configs().get("retention.ms")))
                .isGreaterThanOrEqualTo(java.time.Duration.ofDays(365).toMillis());
    }

    @Test
    void aHostIdThatCannotNameATopicIsRefusedWithTheReason() {
        assertThatThrownBy(() -> catalog.commands(new HostId("rack7/hv12")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ':' or '/'");
    }

    @Test
    void commandTopicsNameTheirHost() {
        assertThat(catalog.hostOf("vfo.commands.hv-3")).contains(new HostId("hv-3"));
        assertThat(catalog.hostOf("vfo.device-events")).isEmpty();
    }

    @Test
    void partitionOfIsWhatKafkasDefaultPartitionerPicks() {
        for (int i = 0; i < 500; i++) {
            VmId vm = new VmId("vm-" + i);
            assertThat(catalog.partitionOf(vm))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(TopicCatalog.key(vm), 12));
        }
    }
}
