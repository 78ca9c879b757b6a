package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.saga.DeviceSnapshot;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A FAILED migration's reported device states against the agents' last reports. */
class FailedMigrationTest {

    /** Simulator runs that end FAILED with devices reported (the saga reports every planned device). */
    private static List<SimLogs.Vm> failed(int wanted) {
        List<SimLogs.Vm> out = new ArrayList<>();
        for (long seed = 1; seed < 3000 && out.size() < wanted; seed++) {
            SimLogs.Vm vm = SimLogs.of(seed);
            if (vm.recording().result().outcome().equals("FAILED")) {
                out.add(vm);
            }
        }
        assertThat(out).as("simulator runs that end FAILED").isNotEmpty();
        return out;
    }

    private static int failedEntry(List<SagaEvent> log) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) instanceof SagaEvent.MigrationFailed) {
                return i;
            }
        }
        throw new AssertionError("no MigrationFailed");
    }

    @Test
    void realFailedRunsReportEveryDeviceAsItsAgentLastDid() {
        for (SimLogs.Vm vm : failed(5)) {
            SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) vm.recording().log()
                    .get(failedEntry(vm.recording().log()));
            assertThat(f.devices()).isNotEmpty();
            AuditReport r = SimLogs.audit(SimLogs.records(vm), SimLogs.LATER);
            assertThat(r.violations()).as("%s", vm.vm()).isEmpty();
            assertThat(r.migrations()).singleElement()
                    .satisfies(m -> assertThat(m.outcome()).isEqualTo(Outcome.FAILED));
        }
    }

    @Test
    void aFailedMigrationThatMisreportsADeviceIsCaught() {
        SimLogs.Vm vm = failed(1).get(0);
        List<SagaEvent> log = new ArrayList<>(vm.recording().log());
        int i = failedEntry(log);
        SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) log.get(i);
        List<DeviceSnapshot> devices = new ArrayList<>(f.devices());
        DeviceSnapshot real = devices.get(0);
        MigrationState claimed = real.state() == MigrationState.RUNNING ? MigrationState.STOP : MigrationState.RUNNING;
        devices.set(0, new DeviceSnapshot(real.host(), real.device(), claimed));
        log.set(i, new SagaEvent.MigrationFailed(f.migration(), f.reason(), devices, f.at()));
        // Re-chained, as a coordinator with a wrong view (or a tamperer who can write the topic) would.
        SimLogs.Vm tampered = new SimLogs.Vm(vm.vm(), vm.recording(), vm.events(), SimLogs.chain(vm.vm(), log));
        AuditReport r = SimLogs.audit(SimLogs.records(tampered), SimLogs.LATER);
        List<AuditViolation> found = r.violations().stream()
                .filter(v -> v.rule() == AuditRule.FAILED_STATE_MISREPORTED).toList();
        assertThat(found).as("%s", r.violations()).singleElement().satisfies(v -> {
            assertThat(v.vm()).contains(vm.vm());
            assertThat(v.device()).contains(real.device());
            assertThat(v.records()).contains(new RecordRef(SimLogs.TOPICS.coordinatorLog().name(),
                    SimLogs.partition(vm.vm()), i));
            assertThat(v.message()).contains("device " + real.device() + " in " + claimed)
                    .contains("but it is in " + real.state());
        });
        assertThat(r.migrations()).singleElement().satisfies(m -> assertThat(m.outcome()).isEqualTo(Outcome.FAILED));
    }

    @Test
    void aDeviceLeftOutOfTheReportIsCaught() {
        SimLogs.Vm vm = failed(1).get(0);
        List<SagaEvent> log = new ArrayList<>(vm.recording().log());
        int i = failedEntry(log);
        SagaEvent.MigrationFailed f = (SagaEvent.MigrationFailed) log.get(i);
        DeviceSnapshot omitted = f.devices().get(f.devices().size() - 1);
        log.set(i, new SagaEvent.MigrationFailed(f.migration(), f.reason(),
                f.devices().subList(0, f.devices().size() - 1), f.at()));
        SimLogs.Vm tampered = new SimLogs.Vm(vm.vm(), vm.recording(), vm.events(), SimLogs.chain(vm.vm(), log));
        AuditReport r = SimLogs.audit(SimLogs.records(tampered), SimLogs.LATER);
        assertThat(r.violations()).filteredOn(v -> v.rule() == AuditRule.FAILED_STATE_MISREPORTED).singleElement()
                .satisfies(v -> assertThat(v.device()).contains(omitted.device()));
    }
}
