package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LoggedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit's running state is per VM and device with fixed bounds; it never holds the log. A
 * VM's log made long after its migration (every device re-reporting its state, each report
 * recorded by the real saga) must leave the state the same size however long it gets.
 */
class MemoryBoundsTest {

    @Test
    void aLongerLogOfTheSameFleetRetainsNoMore() {
        SimLogs.Vm vm = completed();
        long shorter = retainedAfter(vm, 100);
        long longer = retainedAfter(vm, 2000);
        int devices = SimLogs.lastStates(vm.recording().produced()).size();
        long perDevice = 1 + AuditEngine.KEPT_REPORTED + 16; // the device, its recorded events, its reset ids
        System.out.printf("one VM, %d devices: %d entries retained after 100 re-reports per device, %d after 2000%n",
                devices, shorter, longer);
        assertThat(longer).isEqualTo(shorter);
        assertThat(longer).isLessThanOrEqualTo(1 + devices * perDevice + 1);
    }

    private static SimLogs.Vm completed() {
        for (long seed = 1; seed < 400; seed++) {
            SimLogs.Vm vm = SimLogs.of(seed);
            if (vm.recording().result().outcome().equals("COMPLETED")
                    && SimLogs.lastStates(vm.recording().produced()).size() >= 4) {
                return vm;
            }
        }
        throw new AssertionError("no completed run with 4 devices");
    }

    /** Audits the run followed by {@code reports} re-reports per device; the engine's retained entries at the end. */
    private static long retainedAfter(SimLogs.Vm vm, int reports) {
        List<AgentEvent> events = new ArrayList<>(vm.recording().produced());
        List<SagaEvent> log = new ArrayList<>(vm.recording().log());
        MigrationSaga saga = new MigrationSaga();
        SagaState state = saga.fold(saga.initialState(), log);
        Map<DeviceId, AgentEvent.DeviceEvent> last = new LinkedHashMap<>();
        Map<DeviceId, MigrationState> states = SimLogs.lastStates(events);
        events.forEach(e -> {
            if (e instanceof AgentEvent.DeviceEvent de) {
                last.put(de.device(), de);
            }
        });
        Instant at = events.get(events.size() - 1).at().plusSeconds(60);
        for (int i = 0; i < reports; i++) {
            for (AgentEvent.DeviceEvent prev : new ArrayList<>(last.values())) {
                at = at.plusMillis(1);
                MigrationState s = states.get(prev.device());
                AgentEvent.DeviceStateChanged again = new AgentEvent.DeviceStateChanged(prev.host(), prev.agent(),
                        prev.vm(), prev.device(), prev.sequence() + 1, at, Optional.empty(), s, s, at, 0,
                        Optional.empty());
                events.add(again);
                last.put(prev.device(), again);
                List<SagaEvent> decided = saga.decide(new SagaInput.Report(again, at), state);
                state = saga.fold(state, decided);
                log.addAll(decided);
            }
        }
        SimLogs.Vm longer = new SimLogs.Vm(vm.vm(), vm.recording(), SimLogs.events(events), SimLogs.chain(vm.vm(), log));
        AuditEngine engine = new AuditEngine(SimLogs.TOPICS, AuditEngine.Scope.everything());
        for (LoggedRecord r : SimLogs.records(longer)) {
            engine.accept(r);
        }
        long retained = engine.retained();
        AuditReport report = engine.finish(SimLogs.LATER);
        assertThat(report.violations()).isEmpty();
        assertThat(report.records()).isGreaterThan((long) reports * last.size() * 2);
        return retained;
    }
}
