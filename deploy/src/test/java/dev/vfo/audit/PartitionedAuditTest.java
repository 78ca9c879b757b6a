package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.schemas.codec.LoggedRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit on several threads finds what one engine finds, in an order that does not depend on the threads. */
class PartitionedAuditTest {

    /** Seeds 221..280 (seed 240's FAILED report is judged at the end), a few VMs with an undecodable record. */
    private static List<LoggedRecord> log() {
        List<SimLogs.Vm> vms = new ArrayList<>();
        for (long seed = 221; seed <= 280; seed++) {
            SimLogs.Vm vm = SimLogs.of(seed);
            if (seed % 7 == 0) {
                vm.events().add(2, new SimLogs.Entry(new byte[] {(byte) 0xC3, 1, 9}, vm.events().get(2).timestamp()));
            }
            vms.add(vm);
        }
        return SimLogs.records(vms);
    }

    private static AuditReport partitioned(List<LoggedRecord> records, int threads) {
        PartitionedAudit audit = new PartitionedAudit(SimLogs.TOPICS, AuditEngine.Scope.everything(), threads);
        records.forEach(audit);
        return audit.finish(SimLogs.LATER);
    }

    private static List<String> strings(List<?> items) {
        return items.stream().map(Object::toString).toList();
    }

    @Test
    void findsWhatOneEngineFindsWhateverTheThreads() {
        List<LoggedRecord> records = log();
        AuditReport single = SimLogs.audit(records, SimLogs.LATER);
        assertThat(single.violationCount()).as("the log has violations in several partitions").isGreaterThan(5);
        AuditReport one = partitioned(records, 1);
        for (int threads : new int[] {1, 2, 3}) {
            AuditReport r = partitioned(records, threads);
            assertThat(strings(r.violations())).isEqualTo(strings(one.violations()));
            assertThat(strings(r.migrations())).isEqualTo(strings(one.migrations()));
            assertThat(r.violationCount()).isEqualTo(single.violationCount());
            assertThat(strings(r.violations())).containsExactlyInAnyOrderElementsOf(strings(single.violations()));
            assertThat(strings(r.migrations())).containsExactlyInAnyOrderElementsOf(strings(single.migrations()));
            assertThat(r.recordsPerTopic()).isEqualTo(single.recordsPerTopic());
            assertThat(r.vms()).isEqualTo(single.vms());
            assertThat(r.devices()).isEqualTo(single.devices());
            assertThat(r.chainEntries()).isEqualTo(single.chainEntries());
        }
    }

    @Test
    void deadLettersAreCountedAndOneVmCanBeAudited() {
        List<LoggedRecord> records = new ArrayList<>(log());
        records.add(new LoggedRecord(SimLogs.TOPICS.deadLetters().name(), 0, 0, 0L, Optional.empty(),
                Optional.of(new byte[] {1})));
        AuditReport r = partitioned(records, 2);
        assertThat(r.deadLetters()).isEqualTo(1);
        // vm-245 has an undecodable record (seed % 7 == 0): its violations, and only its, are found.
        dev.vfo.core.protocol.VmId vm245 = new dev.vfo.core.protocol.VmId("vm-245");
        AuditReport one = scoped(records, vm245);
        assertThat(one.vms()).isEqualTo(1);
        assertThat(one.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.vm()).contains(vm245));
        assertThat(strings(one.violations())).isEqualTo(strings(r.violations().stream()
                .filter(v -> v.vm().equals(Optional.of(vm245))).toList()));
        // Seed 240's FAILED report lists dst-4's arc in flight, so it is no longer flagged.
        assertThat(scoped(records, new dev.vfo.core.protocol.VmId("vm-240")).violations()).isEmpty();
    }

    private static AuditReport scoped(List<LoggedRecord> records, dev.vfo.core.protocol.VmId vm) {
        PartitionedAudit oneVm = new PartitionedAudit(SimLogs.TOPICS, new AuditEngine.Scope(Optional.of(vm), true), 2);
        records.forEach(oneVm);
        return oneVm.finish(SimLogs.LATER);
    }
}
