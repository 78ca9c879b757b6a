package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.sim.Recording;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Logs of real runs altered to break one rule each: every alteration is caught with the right rule and message. */
class TamperedLogTest {

    private static final String EVENTS = SimLogs.TOPICS.deviceEvents().name();
    private static final String LOG = SimLogs.TOPICS.coordinatorLog().name();

    /** A completed multi-device migration: the richest timeline. */
    private static SimLogs.Vm completed(Predicate<Recording> also) {
        for (long seed = 1; seed < 400; seed++) {
            SimLogs.Vm vm = SimLogs.of(seed);
            Recording r = vm.recording();
            if (r.result().outcome().equals("COMPLETED") && sourceDevices(r) >= 2 && also.test(r)) {
                assertThat(SimLogs.audit(SimLogs.records(vm), SimLogs.LATER).ok()).isTrue();
                return vm;
            }
        }
        throw new AssertionError("no suitable seed");
    }

    private static long sourceDevices(Recording r) {
        return r.produced().stream().filter(e -> e.kind() == AgentEvent.Kind.DEVICE_REGISTERED)
                .map(e -> ((AgentEvent.DeviceRegistered) e).device()).filter(d -> d.value().startsWith("src-"))
                .distinct().count();
    }

    private static List<AgentEvent> produced(SimLogs.Vm vm) {
        return new ArrayList<>(vm.recording().produced());
    }

    private static SimLogs.Vm withEvents(SimLogs.Vm vm, List<AgentEvent> events) {
        return new SimLogs.Vm(vm.vm(), vm.recording(), SimLogs.events(events), vm.log());
    }

    private static SimLogs.Vm withLog(SimLogs.Vm vm, List<SagaEvent> log) {
        return new SimLogs.Vm(vm.vm(), vm.recording(), vm.events(), SimLogs.chain(vm.vm(), log));
    }

    private static AuditReport audit(SimLogs.Vm vm) {
        return SimLogs.audit(SimLogs.records(vm), SimLogs.LATER);
    }

    private static RecordRef ref(SimLogs.Vm vm, String topic, int offset) {
        return new RecordRef(topic, SimLogs.partition(vm.vm()), offset);
    }

    private static AuditViolation only(AuditReport r, AuditRule rule) {
        assertThat(r.ok()).isFalse();
        List<AuditViolation> found = r.violations().stream().filter(v -> v.rule() == rule).toList();
        assertThat(found).as("%s among %s", rule, r.violations()).isNotEmpty();
        return found.get(0);
    }

    private static boolean isChange(AgentEvent e, String devicePrefix, Predicate<MigrationState> to) {
        return e instanceof AgentEvent.DeviceStateChanged sc && sc.device().value().startsWith(devicePrefix)
                && sc.from() != sc.to() && to.test(sc.to());
    }

    @Test
    void aStopBeforeAPeerQuiescedIsCaught() {
        // Only state changes of the source between the last quiesce and the first stop: a clean swap.
        SimLogs.Vm vm = completed(r -> swapPoints(r.produced()) != null);
        List<AgentEvent> events = produced(vm);
        int[] at = swapPoints(events);
        AgentEvent stop = events.remove(at[1]);
        events.add(at[0], stop);
        AuditReport r = audit(withEvents(vm, events));
        AuditViolation v = only(r, AuditRule.STOP_BEFORE_PEERS_QUIESCED);
        DeviceId stopped = ((AgentEvent.DeviceStateChanged) stop).device();
        assertThat(v.vm()).contains(vm.vm());
        assertThat(v.device()).contains(stopped);
        assertThat(v.records()).contains(ref(vm, EVENTS, at[0]));
        assertThat(v.message()).contains("device " + stopped).contains("entered " + ((AgentEvent.DeviceStateChanged) stop).to())
                .contains("may still initiate P2P DMA");
        assertThat(r.violations()).extracting(AuditViolation::rule).containsOnly(AuditRule.STOP_BEFORE_PEERS_QUIESCED);
    }

    /** [index of the last source quiesce event, index of the first source stop], if only source changes lie between. */
    private static int[] swapPoints(List<AgentEvent> events) {
        int firstStop = -1;
        for (int i = 0; i < events.size() && firstStop < 0; i++) {
            if (isChange(events.get(i), "src-", s -> s == MigrationState.STOP || s == MigrationState.STOP_COPY)) {
                firstStop = i;
            }
        }
        if (firstStop < 0) {
            return null;
        }
        DeviceId stopper = ((AgentEvent.DeviceStateChanged) events.get(firstStop)).device();
        for (int i = firstStop - 1; i >= 0; i--) {
            AgentEvent e = events.get(i);
            if (isChange(e, "src-", s -> s == MigrationState.RUNNING_P2P || s == MigrationState.PRE_COPY_P2P)) {
                if (((AgentEvent.DeviceStateChanged) e).device().equals(stopper)) {
                    return null;
                }
                for (int j = i + 1; j < firstStop; j++) {
                    if (events.get(j) instanceof AgentEvent.DeviceEvent de && de.device().equals(stopper)) {
                        return null;
                    }
                }
                return new int[] {i, firstStop};
            }
        }
        return null;
    }

    @Test
    void aMissingDeviceEventIsASequenceGap() {
        SimLogs.Vm vm = completed(r -> true);
        List<AgentEvent> events = produced(vm);
        int i = indexOf(events, e -> isChange(e, "dst-", s -> s == MigrationState.RESUMING));
        AgentEvent.DeviceStateChanged dropped = (AgentEvent.DeviceStateChanged) events.remove(i);
        AuditReport r = audit(withEvents(vm, events));
        AuditViolation v = only(r, AuditRule.SEQUENCE_GAP);
        assertThat(v.device()).contains(dropped.device());
        assertThat(v.message()).contains("device " + dropped.device() + " jumps from sequence " + (dropped.sequence() - 1))
                .contains("events " + dropped.sequence() + ".." + dropped.sequence() + " are missing");
        assertThat(v.records()).allSatisfy(ref -> assertThat(ref.topic()).isEqualTo(EVENTS));
        // The coordinator still recorded the event the agents' topic lost: that record has no evidence behind it.
        AuditViolation unbacked = only(r, AuditRule.FORGED_DEVICE_EVENT);
        assertThat(unbacked.message()).contains("#" + dropped.sequence()).contains("no agent produced it");
    }

    @Test
    void aDeviceEventDeliveredTwiceIsNoViolationButTheSameSequenceWithOtherContentIsARepeat() {
        SimLogs.Vm vm = completed(r -> true);
        List<AgentEvent> events = produced(vm);
        int i = indexOf(events, e -> isChange(e, "src-", s -> s == MigrationState.RUNNING_P2P
                || s == MigrationState.PRE_COPY_P2P));
        AgentEvent.DeviceStateChanged original = (AgentEvent.DeviceStateChanged) events.get(i);
        // As an agent re-reporting an applied command sends it: the same event, later in the topic.
        events.add(i + 2, original);
        assertThat(audit(withEvents(vm, events)).violations()).isEmpty();

        events.set(i + 2, new AgentEvent.DeviceStateChanged(original.host(), original.agent(), original.vm(),
                original.device(), original.sequence(), original.at().plusMillis(1), original.answers(),
                original.from(), original.to(), original.startedAt(), original.bytes(), original.sha256()));
        AuditViolation v = only(audit(withEvents(vm, events)), AuditRule.SEQUENCE_REPEAT);
        assertThat(v.device()).contains(original.device());
        assertThat(v.message()).contains("has sequence " + original.sequence());
    }

    @Test
    void anEditedDecisionDiffersFromTheReplay() {
        SimLogs.Vm vm = completed(r -> true);
        List<SagaEvent> log = new ArrayList<>(vm.recording().log());
        int i = indexOf(log, e -> e instanceof SagaEvent.BarrierReached);
        SagaEvent.BarrierReached b = (SagaEvent.BarrierReached) log.get(i);
        log.set(i, new SagaEvent.BarrierReached(b.migration(), b.barrier(), b.at().minusMillis(250)));
        // Re-chained, as a tamperer who can write the topic would: the chain holds, the replay does not.
        AuditReport r = audit(withLog(vm, log));
        AuditViolation v = only(r, AuditRule.DECISION_MISMATCH);
        assertThat(v.records()).containsExactly(ref(vm, LOG, i));
        assertThat(v.message()).contains("entry " + (i + 1)).contains("decides " + b).contains("but the log has");
        assertThat(r.violations()).extracting(AuditViolation::rule).doesNotContain(AuditRule.CHAIN_BROKEN);
    }

    @Test
    void anEditedEntryBreaksTheChainWhenNotReChained() {
        SimLogs.Vm vm = completed(r -> true);
        int i = indexOf(vm.recording().log(), e -> e instanceof SagaEvent.PhaseEntered);
        SagaEvent.PhaseEntered p = (SagaEvent.PhaseEntered) vm.recording().log().get(i);
        CoordinatorLogEntry original = LogCodec.decodeLogEntry(vm.log().get(i).value()).orElseThrow();
        byte[] edited = LogCodec.encode(new CoordinatorLogEntry(original.vm(), original.sequence(), original.previous(),
                new SagaEvent.PhaseEntered(p.migration(), p.phase(), p.at().plusMillis(7))));
        vm.log().set(i, new SimLogs.Entry(edited, vm.log().get(i).timestamp()));
        AuditReport r = audit(vm);
        AuditViolation broken = only(r, AuditRule.CHAIN_BROKEN);
        assertThat(broken.records()).containsExactly(ref(vm, LOG, i + 1));
        assertThat(broken.message()).contains("entry " + (i + 2) + " says the previous entry hashes to")
                .contains("(an entry was edited or replaced)");
        assertThat(only(r, AuditRule.DECISION_MISMATCH).records()).containsExactly(ref(vm, LOG, i));
    }

    @Test
    void aRemovedEntryBreaksTheChain() {
        SimLogs.Vm vm = completed(r -> true);
        int i = indexOf(vm.recording().log(), e -> e instanceof SagaEvent.CommandIssued);
        vm.log().remove(i);
        AuditReport r = audit(vm);
        AuditViolation v = only(r, AuditRule.CHAIN_BROKEN);
        assertThat(v.vm()).contains(vm.vm());
        assertThat(v.records()).containsExactly(ref(vm, LOG, i));
        assertThat(v.message()).contains("entry has sequence " + (i + 2) + ", expected " + (i + 1));
    }

    @Test
    void anEventFromAnAgentThatDidNotRegisterTheDeviceIsForged() {
        SimLogs.Vm vm = completed(r -> true);
        List<AgentEvent> events = produced(vm);
        int i = indexOf(events, e -> isChange(e, "src-", s -> true));
        AgentEvent.DeviceStateChanged real = (AgentEvent.DeviceStateChanged) events.get(i);
        AgentEvent.DeviceStateChanged forged = new AgentEvent.DeviceStateChanged(new HostId("host-9"),
                new AgentId("agent-9"), real.vm(), real.device(), real.sequence() + 1000, real.at(), Optional.empty(),
                real.to(), MigrationState.RUNNING, real.at(), 0, Optional.empty());
        events.add(i + 1, forged);
        AuditReport r = audit(withEvents(vm, events));
        AuditViolation v = only(r, AuditRule.FORGED_DEVICE_EVENT);
        assertThat(v.device()).contains(real.device());
        assertThat(v.records()).contains(ref(vm, EVENTS, i + 1));
        assertThat(v.message()).contains("comes from agent-9 on host-9, but the device is registered by " + real.agent());
        assertThat(r.violations()).extracting(AuditViolation::rule).containsOnly(AuditRule.FORGED_DEVICE_EVENT);
    }

    @Test
    void aRecordedReportNoAgentProducedIsForged() {
        SimLogs.Vm vm = completed(r -> true);
        List<SagaEvent> log = new ArrayList<>(vm.recording().log());
        int i = indexOf(log, e -> e instanceof SagaEvent.DeviceReported d && d.event().kind()
                == AgentEvent.Kind.DEVICE_STATE_CHANGED);
        SagaEvent.DeviceReported d = (SagaEvent.DeviceReported) log.get(i);
        AgentEvent.DeviceStateChanged sc = (AgentEvent.DeviceStateChanged) d.event();
        AgentEvent.DeviceStateChanged invented = new AgentEvent.DeviceStateChanged(sc.host(), sc.agent(), sc.vm(),
                sc.device(), sc.sequence(), sc.at(), sc.answers(), sc.from(), sc.to(), sc.startedAt(), 4096,
                sc.sha256());
        log.set(i, new SagaEvent.DeviceReported(invented, d.at()));
        AuditReport r = audit(withLog(vm, log));
        AuditViolation v = only(r, AuditRule.FORGED_DEVICE_EVENT);
        assertThat(v.records()).contains(ref(vm, LOG, i));
        assertThat(v.message()).contains("differently from what " + sc.agent() + " produced");
    }

    @Test
    void aTransitionThatIsNoArcIsIllegal() {
        SimLogs.Vm vm = completed(r -> true);
        List<AgentEvent> events = produced(vm);
        int i = indexOf(events, e -> isChange(e, "dst-", s -> s == MigrationState.RESUMING));
        AgentEvent.DeviceStateChanged sc = (AgentEvent.DeviceStateChanged) events.get(i);
        // RUNNING>RESUMING is no kernel arc (the kernel goes through STOP, or RUNNING_P2P then STOP).
        AgentEvent.DeviceStateChanged jump = new AgentEvent.DeviceStateChanged(sc.host(), sc.agent(), sc.vm(),
                sc.device(), sc.sequence(), sc.at(), sc.answers(), MigrationState.RUNNING, MigrationState.RESUMING,
                sc.startedAt(), sc.bytes(), sc.sha256());
        events.set(i, jump);
        AuditReport r = audit(withEvents(vm, events));
        AuditViolation v = only(r, AuditRule.ILLEGAL_ARC);
        assertThat(v.device()).contains(sc.device());
        assertThat(v.records()).contains(ref(vm, EVENTS, i));
        assertThat(v.message()).contains("RUNNING>RESUMING");
    }

    @Test
    void aVmLeftHalfResumedIsNotInOnePlace() {
        SimLogs.Vm vm = completed(r -> true);
        List<AgentEvent> events = produced(vm);
        int i = lastIndexOf(events, e -> isChange(e, "dst-", s -> s == MigrationState.RUNNING));
        AgentEvent.DeviceStateChanged sc = (AgentEvent.DeviceStateChanged) events.get(i);
        events.set(i, new AgentEvent.DeviceStateChanged(sc.host(), sc.agent(), sc.vm(), sc.device(), sc.sequence(),
                sc.at(), sc.answers(), sc.from(), sc.from(), sc.startedAt(), sc.bytes(), sc.sha256()));
        AuditReport r = audit(withEvents(vm, events));
        AuditViolation v = only(r, AuditRule.NOT_IN_ONE_PLACE);
        assertThat(v.message()).contains("COMPLETED but device " + sc.device()).contains("is in " + sc.from());
        assertThat(r.migrations().get(0).ok()).isFalse();
    }

    @Test
    void anUnfinishedMigrationIsInFlightBeforeItsDeadlineAndStuckAfter() {
        SimLogs.Vm vm = completed(r -> true);
        List<SagaEvent> full = vm.recording().log();
        int barrier = indexOf(full, e -> e instanceof SagaEvent.BarrierReached b
                && b.barrier() == dev.vfo.core.saga.Barrier.SOURCE_QUIESCED);
        // Cut at an input boundary: everything decided on the barrier's input is in, the next input is not.
        int cut = barrier;
        while (cut + 1 < full.size() && !full.get(cut + 1).recordsInput()) {
            cut++;
        }
        long cutAt = vm.log().get(cut).timestamp();
        List<SimLogs.Entry> log = new ArrayList<>(vm.log().subList(0, cut + 1));
        List<SimLogs.Entry> events = vm.events().stream().filter(e -> e.timestamp() <= cutAt).toList();
        SimLogs.Vm partial = new SimLogs.Vm(vm.vm(), vm.recording(), events, log);
        AuditReport live = SimLogs.audit(SimLogs.records(partial), Instant.ofEpochMilli(cutAt));
        assertThat(live.migrations()).singleElement().satisfies(m -> assertThat(m.outcome()).isEqualTo(Outcome.IN_FLIGHT));
        assertThat(live.ok()).isTrue();
        AuditReport later = SimLogs.audit(SimLogs.records(partial), SimLogs.LATER);
        assertThat(later.migrations()).singleElement().satisfies(m -> assertThat(m.outcome()).isEqualTo(Outcome.STUCK));
        assertThat(only(later, AuditRule.MIGRATION_STUCK).message()).contains("has not ended")
                .contains("passed before " + SimLogs.LATER);
    }

    @Test
    void anUndecodableRecordIsReportedAndTheRestStillAudited() {
        SimLogs.Vm vm = completed(r -> true);
        vm.events().add(3, new SimLogs.Entry(new byte[] {(byte) 0xC3, 1, 9, 9}, vm.events().get(3).timestamp()));
        AuditReport r = audit(vm);
        AuditViolation v = only(r, AuditRule.UNDECODABLE_RECORD);
        assertThat(v.records()).containsExactly(ref(vm, EVENTS, 3));
        assertThat(r.migrations()).singleElement().satisfies(m -> assertThat(m.outcome()).isEqualTo(Outcome.COMPLETED));
    }

    private static <T> int indexOf(List<T> list, Predicate<T> p) {
        for (int i = 0; i < list.size(); i++) {
            if (p.test(list.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static <T> int lastIndexOf(List<T> list, Predicate<T> p) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (p.test(list.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

}
