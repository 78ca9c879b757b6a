package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verdict does not depend on how the two topics' records of a VM interleave. The benchmark's
 * loader wrote simulator runs back to back per partition; read in audit order, an agent's reset
 * (STOP_COPY>RUNNING, no kernel arc) came before the coordinator's ResetDevice entry it answers,
 * and the audit reported 3,089 false ILLEGAL_ARC violations on a clean log.
 */
class AuditOrderTest {

    private static List<SimLogs.Vm> seeds(int n) {
        List<SimLogs.Vm> vms = new ArrayList<>();
        for (long seed = 1; seed <= n; seed++) {
            vms.add(SimLogs.of(seed));
        }
        return vms;
    }

    @Test
    void runsWrittenBackToBackPerPartitionPass() {
        List<LoggedRecord> records = SimLogs.backToBack(seeds(60));
        assertThat(resetsReadBeforeTheirCommand(records)).as("the layout puts resets before their commands").isPositive();
        AuditReport r = SimLogs.audit(records, SimLogs.LATER);
        assertThat(r.violations()).isEmpty();
        assertThat(r.migrations()).hasSize(60);
    }

    @Test
    void aResetThatAnswersNoResetCommandIsIllegal() {
        SimLogs.Vm vm = null;
        int index = -1;
        for (long seed = 1; seed < 400 && index < 0; seed++) {
            vm = SimLogs.of(seed);
            index = firstReset(vm.recording().produced());
        }
        assertThat(index).as("a run with a reset").isNotNegative();
        List<AgentEvent> events = new ArrayList<>(vm.recording().produced());
        AgentEvent.DeviceStateChanged sc = (AgentEvent.DeviceStateChanged) events.get(index);
        CommandId invented = new CommandId("c999.e9.invented");
        events.set(index, new AgentEvent.DeviceStateChanged(sc.host(), sc.agent(), sc.vm(), sc.device(), sc.sequence(),
                sc.at(), Optional.of(invented), sc.from(), sc.to(), sc.startedAt(), sc.bytes(), sc.sha256()));
        SimLogs.Vm tampered = new SimLogs.Vm(vm.vm(), vm.recording(), SimLogs.events(events), vm.log());
        AuditReport r = SimLogs.audit(SimLogs.records(tampered), SimLogs.LATER);
        RecordRef at = new RecordRef(SimLogs.TOPICS.deviceEvents().name(), SimLogs.partition(vm.vm()), index);
        List<AuditViolation> arcs = r.violations().stream().filter(v -> v.rule() == AuditRule.ILLEGAL_ARC).toList();
        assertThat(arcs).as("%s", r.violations()).singleElement().satisfies(v -> {
            assertThat(v.device()).contains(sc.device());
            assertThat(v.records()).containsExactly(at);
            assertThat(v.message()).contains(sc.from() + ">RUNNING").contains("answers " + invented)
                    .contains("no ResetDevice command");
        });
    }

    /** The first reset to RUNNING that is no kernel arc (it answers a ResetDevice command). */
    private static int firstReset(List<AgentEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof AgentEvent.DeviceStateChanged sc && sc.to() == MigrationState.RUNNING
                    && sc.answers().isPresent() && (sc.from() == MigrationState.STOP_COPY
                            || sc.from() == MigrationState.RESUMING || sc.from() == MigrationState.ERROR)) {
                return i;
            }
        }
        return -1;
    }

    private static int resetsReadBeforeTheirCommand(List<LoggedRecord> records) {
        Set<CommandId> answered = new HashSet<>();
        int early = 0;
        for (LoggedRecord r : records) {
            byte[] v = r.value().orElseThrow();
            if (r.topic().equals(SimLogs.TOPICS.deviceEvents().name())) {
                if (LogCodec.decodeAgentEvent(v).orElseThrow() instanceof AgentEvent.DeviceStateChanged sc
                        && sc.to() == MigrationState.RUNNING && sc.from() != MigrationState.RUNNING) {
                    sc.answers().ifPresent(answered::add);
                }
            } else if (LogCodec.decodeLogEntry(v).orElseThrow().event() instanceof SagaEvent.CommandIssued c
                    && c.command().kind() == AgentCommand.Kind.RESET_DEVICE && answered.contains(c.command().id())) {
                early++;
            }
        }
        return early;
    }
}
