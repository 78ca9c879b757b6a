package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.saga.SagaEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Any single removal from a real run's log is caught, wherever it is. */
class TamperingPropertiesTest {

    @Property(tries = 60)
    void removingAnyLogEntryButTheLastBreaksTheChain(@ForAll @IntRange(min = 1, max = 300) long seed,
            @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        SimLogs.Vm vm = SimLogs.of(seed);
        int i = pick % (vm.log().size() - 1);
        vm.log().remove(i);
        AuditReport r = SimLogs.audit(SimLogs.records(vm), SimLogs.LATER);
        assertThat(r.violations()).anySatisfy(v -> {
            assertThat(v.rule()).isEqualTo(AuditRule.CHAIN_BROKEN);
            assertThat(v.records()).containsExactly(new RecordRef(SimLogs.TOPICS.coordinatorLog().name(),
                    SimLogs.partition(vm.vm()), i));
        });
    }

    @Property(tries = 60)
    void removingAnyDeviceEventTheCoordinatorRecordedIsCaught(@ForAll @IntRange(min = 1, max = 300) long seed,
            @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        SimLogs.Vm vm = SimLogs.of(seed);
        Set<AgentEvent> recorded = vm.recording().log().stream().filter(e -> e instanceof SagaEvent.DeviceReported)
                .map(e -> ((SagaEvent.DeviceReported) e).event()).collect(Collectors.toSet());
        List<AgentEvent> events = new ArrayList<>(vm.recording().produced());
        List<Integer> candidates = new ArrayList<>();
        for (int k = 0; k < events.size(); k++) {
            if (events.get(k) instanceof AgentEvent.DeviceEvent && recorded.contains(events.get(k))) {
                candidates.add(k);
            }
        }
        AgentEvent removed = events.remove((int) candidates.get(pick % candidates.size()));
        SimLogs.Vm tampered = new SimLogs.Vm(vm.vm(), vm.recording(), SimLogs.events(events), vm.log());
        AuditReport r = SimLogs.audit(SimLogs.records(tampered), SimLogs.LATER);
        assertThat(r.violations()).anySatisfy(v -> {
            assertThat(v.rule()).isIn(AuditRule.SEQUENCE_GAP, AuditRule.FORGED_DEVICE_EVENT);
            assertThat(v.device()).contains(((AgentEvent.DeviceEvent) removed).device());
        });
    }
}
