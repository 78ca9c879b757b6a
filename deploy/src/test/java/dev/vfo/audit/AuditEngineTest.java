package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.sim.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AuditEngineTest {

    @Test
    void logsOfRealRunsPass() {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (long seed = 1; seed <= 120; seed++) {
            SimLogs.Vm vm = SimLogs.of(seed);
            Recording rec = vm.recording();
            assertThat(rec.result().ok()).as("seed %d is clean in the simulator", seed).isTrue();
            AuditReport r = SimLogs.audit(SimLogs.records(vm), SimLogs.LATER);
            outcomes.merge(rec.result().outcome(), 1, Integer::sum);
            if (!r.ok()) {
                failures.add("seed " + seed + " (" + rec.result().outcome() + "): " + r.violations());
            }
            assertThat(r.migrations()).hasSize(1);
            assertThat(r.migrations().get(0).outcome().name()).isEqualTo(rec.result().outcome());
        }
        System.out.println("audited seeds 1..120: " + outcomes);
        assertThat(failures).isEmpty();
    }
}
