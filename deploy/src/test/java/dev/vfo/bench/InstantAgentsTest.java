package dev.vfo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zero-latency agents must drive the real saga to completion, or the benchmarks time a stuck saga. */
class InstantAgentsTest {

    @Test
    void sixteenDevicePairsMigrateToCompletion() {
        List<SagaEvent> log = new ArrayList<>();
        InstantAgents vm = new InstantAgents("vm-t", 16, log::add);

        vm.migrate();

        assertThat(vm.saga().isTerminal(vm.state())).isTrue();
        assertThat(log).filteredOn(e -> e.kind() == SagaEvent.Kind.MIGRATION_COMPLETED).hasSize(1);
        assertThat(log).noneMatch(e -> e.kind() == SagaEvent.Kind.ROLLBACK_STARTED);
        assertThat(vm.events()).isEqualTo(log.size());
    }

    @Test
    void theMemoryScenarioHoldsVmsInsideTheQuiesceBarrier() {
        assertThat(InFlightMemory.build("vm-q", false).active()).isEmpty();
        assertThat(InFlightMemory.build("vm-q", true).active()).hasValueSatisfying(m ->
                assertThat(m.phase()).isEqualTo(Phase.QUIESCE));
    }
}
