package dev.vfo.core.saga;

import static dev.vfo.core.saga.SagaFixture.DST;
import static dev.vfo.core.saga.SagaFixture.DST_AGENT;
import static dev.vfo.core.saga.SagaFixture.MIG;
import static dev.vfo.core.saga.SagaFixture.MODEL;
import static dev.vfo.core.saga.SagaFixture.SRC;
import static dev.vfo.core.saga.SagaFixture.SRC_AGENT;
import static dev.vfo.core.saga.SagaFixture.VM;
import static dev.vfo.core.saga.SagaFixture.commands;
import static dev.vfo.core.saga.SagaFixture.dst;
import static dev.vfo.core.saga.SagaFixture.of;
import static dev.vfo.core.saga.SagaFixture.src;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationSagaTest {

    private static final long P2P = MigrationCapability.STOP_COPY_P2P.bits();
    private static final long P2P_PRE_COPY = MigrationCapability.STOP_COPY_P2P_PRE_COPY.bits();
    private static final long PLAIN = MigrationCapability.STOP_COPY.bits();

    @Test
    void aSingleDeviceWithoutP2pMigratesThroughEveryPhaseToCompletion() {
        SagaFixture f = new SagaFixture().devices(1, PLAIN);
        List<SagaEvent> started = f.start(SagaFixture.noPreCopy());
        assertThat(of(started, SagaEvent.PlanAccepted.class)).hasSize(1);

        f.answerAll(started);

        assertThat(f.phases()).containsExactly(Phase.PREPARE_DESTINATION, Phase.QUIESCE, Phase.STOP_COPY, Phase.COMMIT,
                Phase.RESUME_P2P, Phase.RESUME, Phase.CLEANUP_SOURCE);
        assertThat(of(f.log, SagaEvent.MigrationCompleted.class)).hasSize(1);
        assertThat(f.real()).containsEntry(dst(0), MigrationState.RUNNING).containsEntry(src(0), MigrationState.RUNNING);
        assertThat(f.saga.isTerminal(f.state)).isTrue();
    }

    @Test
    void everyCommandAsksForOneKernelArcAndCarriesMigrationEpochAndAFreshId() {
        SagaFixture f = new SagaFixture().devices(3, P2P_PRE_COPY);
        f.answerAll(f.start(MigrationPolicy.defaults()));

        List<AgentCommand> all = commands(f.log);
        assertThat(all).isNotEmpty().allSatisfy(c -> {
            assertThat(c.migration()).isEqualTo(MIG);
            assertThat(c.coordinatorEpoch()).isEqualTo(1);
        });
        assertThat(all.stream().map(AgentCommand::id).distinct().count()).isEqualTo(all.size());
        assertThat(of(f.log, SagaEvent.BarrierReached.class).stream().map(SagaEvent.BarrierReached::barrier))
                .containsExactly(Barrier.DESTINATION_RESUMING, Barrier.PRE_COPY_DONE, Barrier.SOURCE_QUIESCED,
                        Barrier.DATA_TRANSFERRED, Barrier.COMMITTED, Barrier.DESTINATION_P2P,
                        Barrier.DESTINATION_RUNNING, Barrier.SOURCE_CLEANED);
        assertThat(of(f.log, SagaEvent.SwitchoverDecided.class)).singleElement()
                .satisfies(s -> assertThat(s.reason()).startsWith("converged"));
    }

    @Test
    void noSourceDeviceIsAskedToStopUntilEveryPeerReportedRunningP2p() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        // Given the destination is prepared and the source devices were asked to quiesce
        f.answerUntil(f.start(SagaFixture.noPreCopy()), Phase.QUIESCE);
        List<AgentCommand.TransitionDevice> quiesce = f.transitions(SRC, MigrationState.RUNNING_P2P);
        assertThat(quiesce).hasSize(2);

        // When only the first device reports RUNNING_P2P
        List<SagaEvent> afterFirst = f.report(f.changed(quiesce.get(0), MigrationState.RUNNING_P2P));

        // Then nothing is asked of either source device
        assertThat(commands(afterFirst)).isEmpty();

        // And when the second reports, the barrier is reached and both are asked for STOP
        List<SagaEvent> afterSecond = f.report(f.changed(quiesce.get(1), MigrationState.RUNNING_P2P));
        assertThat(of(afterSecond, SagaEvent.BarrierReached.class)).extracting(SagaEvent.BarrierReached::barrier)
                .containsExactly(Barrier.SOURCE_QUIESCED);
        assertThat(commands(afterSecond)).extracting(c -> ((AgentCommand.TransitionDevice) c).target())
                .containsExactly(MigrationState.STOP, MigrationState.STOP);
    }

    @Test
    void aVmWithSeveralDevicesNeedsP2pOnEveryDevice() {
        SagaFixture f = new SagaFixture().devices(2, MigrationCapability.STOP_COPY_PRE_COPY.bits());
        List<SagaEvent> out = f.start(MigrationPolicy.defaults());
        assertThat(of(out, SagaEvent.PlanRejected.class)).singleElement().satisfies(r -> assertThat(r.reasons())
                .anyMatch(s -> s.contains("src-0 lacks VFIO_MIGRATION_P2P") && s.contains("2 devices")));
        assertThat(commands(out)).isEmpty();
        assertThat(f.saga.isTerminal(f.state)).isTrue();
    }

    @Test
    void undefinedFlagsUnknownDevicesAndOtherModelsAreRefusedWithTheirReasons() {
        SagaFixture f = new SagaFixture();
        f.register(SRC, SRC_AGENT, src(0), 0x2, MODEL); // P2P without STOP_COPY: undefined
        f.register(DST, DST_AGENT, dst(0), P2P, "10de:2331");
        f.register(SRC, SRC_AGENT, src(1), P2P, MODEL);
        f.devices = 2; // src-1 pairs with dst-1, which nobody registered
        List<SagaEvent> out = f.start(MigrationPolicy.defaults());
        List<String> reasons = of(out, SagaEvent.PlanRejected.class).get(0).reasons();
        assertThat(reasons).anyMatch(r -> r.startsWith("source device src-0: flags 0x2") && r.contains("undefined"));
        assertThat(reasons).anyMatch(r -> r.contains("is a 15b3:101e but destination device dst-0 is a 10de:2331"));
        assertThat(reasons).anyMatch(r -> r.equals("destination device dst-1 is unknown: no agent registered it for this VM"));
    }

    @Test
    void aSilentDeviceIsRefused() {
        SagaFixture f = new SagaFixture().devices(1, P2P);
        f.advance(Duration.ofMinutes(5));
        List<SagaEvent> out = f.start(MigrationPolicy.defaults());
        assertThat(of(out, SagaEvent.PlanRejected.class).get(0).reasons())
                .anyMatch(r -> r.startsWith("device src-0 is silent"));
    }

    @Test
    void duplicateAndForeignEventsChangeNothingButAreRecorded() {
        SagaFixture f = new SagaFixture().devices(1, P2P);
        List<SagaEvent> started = f.start(SagaFixture.noPreCopy());
        AgentCommand.TransitionDevice first = (AgentCommand.TransitionDevice) commands(started).get(0);
        AgentEvent.DeviceStateChanged answer = f.changed(first, first.target());
        f.report(answer);
        SagaState before = f.state;

        List<SagaEvent> dup = f.report(answer);
        assertThat(dup).hasSize(2);
        assertThat(dup.get(1)).isInstanceOf(SagaEvent.InputIgnored.class);
        assertThat(((SagaEvent.InputIgnored) dup.get(1)).reason()).startsWith("duplicate or stale event");

        List<SagaEvent> foreign = f.report(new AgentEvent.DeviceStateChanged(DST, new AgentId("intruder"), VM, dst(0),
                99, f.now(), Optional.empty(), MigrationState.RUNNING, MigrationState.STOP, f.now(), 0, Optional.empty()));
        assertThat(((SagaEvent.InputIgnored) foreign.get(1)).reason()).contains("registered by agent agent-dst");

        assertThat(f.state.inventory()).isEqualTo(before.inventory());
        assertThat(f.state.active()).isEqualTo(before.active());
    }

    @Test
    void aStaleEpochIsIgnored() {
        SagaFixture f = new SagaFixture();
        List<SagaEvent> out = f.when(new SagaInput.Takeover(1, f.now()));
        assertThat(((SagaEvent.InputIgnored) out.get(1)).reason()).isEqualTo("stale epoch 1; the current epoch is 1");
    }

    @Test
    void aCommandWithoutAnswerIsReissuedWithANewIdAfterItsDeadline() {
        SagaFixture f = new SagaFixture().devices(1, P2P);
        List<SagaEvent> started = f.start(SagaFixture.noPreCopy());
        AgentCommand.TransitionDevice first = (AgentCommand.TransitionDevice) commands(started).get(0);
        assertThat(f.saga.nextDeadline(f.state)).contains(first.deadline());

        f.millis = first.deadline().toEpochMilli() - SagaFixture.T0.toEpochMilli();
        List<SagaEvent> fired = f.when(new SagaInput.Timer(f.now()));

        AgentCommand.TransitionDevice retry = (AgentCommand.TransitionDevice) commands(fired).get(0);
        assertThat(retry.id()).isNotEqualTo(first.id());
        assertThat(retry.target()).isEqualTo(first.target());
        assertThat(retry.device()).isEqualTo(first.device());
        // the retry waits twice as long
        assertThat(Duration.between(f.now(), retry.deadline())).isEqualTo(
                MigrationPolicy.defaults().stepDeadline().multipliedBy(2));
    }

    @Test
    void aTakeoverReissuesOutstandingCommandsUnderTheNewEpoch() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        List<AgentCommand> outstanding = commands(f.start(SagaFixture.noPreCopy()));
        SagaState rebuilt = f.saga.fold(f.saga.initialState(), f.log);
        assertThat(rebuilt).isEqualTo(f.state);

        List<SagaEvent> out = f.when(new SagaInput.Takeover(2, f.now()));

        List<AgentCommand> reissued = commands(out);
        assertThat(reissued).hasSameSizeAs(outstanding).allSatisfy(c -> assertThat(c.coordinatorEpoch()).isEqualTo(2));
        assertThat(reissued).extracting(AgentCommand::id).doesNotContainAnyElementsOf(
                outstanding.stream().map(AgentCommand::id).toList());
        assertThat(reissued).extracting(c -> ((AgentCommand.DeviceCommand) c).device())
                .containsExactlyElementsOf(outstanding.stream().map(c -> ((AgentCommand.DeviceCommand) c).device()).toList());
    }

    @Test
    void anOperatorCancelBeforeTheCommitPointRollsBackToRunningSource() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        List<SagaEvent> started = f.start(SagaFixture.noPreCopy());
        List<SagaEvent> cancelled = f.when(new SagaInput.Cancel(MIG, "maintenance window closed", f.now()));

        assertThat(of(cancelled, SagaEvent.RollbackStarted.class)).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("cancelled by the operator: maintenance window closed"));
        assertThat(commands(cancelled)).filteredOn(c -> c.kind() == AgentCommand.Kind.ABORT_MIGRATION).hasSize(2);

        f.answerAll(started);
        f.answerAll(cancelled);
        assertThat(of(f.log, SagaEvent.MigrationRolledBack.class)).hasSize(1);
        assertThat(f.real()).containsEntry(src(0), MigrationState.RUNNING).containsEntry(src(1), MigrationState.RUNNING)
                .containsEntry(dst(0), MigrationState.RUNNING).containsEntry(dst(1), MigrationState.RUNNING);
    }

    @Test
    void aCancelAfterTheCommitPointIsIgnored() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        f.answerUntil(f.start(SagaFixture.noPreCopy()), Phase.RESUME_P2P);
        assertThat(f.phases()).endsWith(Phase.RESUME_P2P);

        List<SagaEvent> out = f.when(new SagaInput.Cancel(MIG, "too late", f.now()));

        assertThat(out).hasSize(2);
        assertThat(((SagaEvent.InputIgnored) out.get(1)).reason())
                .isEqualTo("migration mig-1 is past the commit point (RESUME_P2P); it can only complete");
    }

    @Test
    void aDestinationFailureBeforeCommitResumesTheSource() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        // Given everything went well up to the commit point
        f.answerUntil(f.start(SagaFixture.noPreCopy()), Phase.COMMIT);
        List<AgentCommand.TransitionDevice> commits = f.transitions(DST, MigrationState.STOP);
        commits = commits.subList(commits.size() - 2, commits.size());
        AgentCommand.TransitionDevice commit = commits.get(0);
        List<SagaEvent> events = List.of(new SagaEvent.CommandIssued(commits.get(1)));
        // When the first commit arc RESUMING>STOP fails on the destination
        assertThat(commit).isNotNull();
        f.putReal(commit.device(), MigrationState.ERROR);
        List<SagaEvent> failed = f.report(new AgentEvent.TransitionFailed(DST, DST_AGENT, VM, commit.device(),
                f.next(commit.device()), f.now(), Optional.of(commit.id()), MigrationState.RESUMING, MigrationState.STOP, 5,
                MigrationState.ERROR, "data rejected"));

        assertThat(of(failed, SagaEvent.RollbackStarted.class)).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("RESUMING>STOP failed with EIO(5)"));
        f.answerAll(failed);
        f.answerAll(events);
        assertThat(of(f.log, SagaEvent.MigrationRolledBack.class)).hasSize(1);
        assertThat(f.phases()).doesNotContain(Phase.RESUME_P2P);
        for (DeviceId d : List.of(src(0), src(1), dst(0), dst(1))) {
            assertThat(f.real().get(d)).as(d.value()).isEqualTo(MigrationState.RUNNING);
        }
    }

    @Test
    void preCopyThatDoesNotConvergeInTimeAbortsWhenThePolicySaysSo() {
        SagaFixture f = new SagaFixture().devices(1, P2P_PRE_COPY);
        List<SagaEvent> events = f.start(MigrationPolicy.defaults());
        while (!f.phases().contains(Phase.PRE_COPY)) {
            events = f.report(f.changed((AgentCommand.TransitionDevice) commands(events).get(0),
                    ((AgentCommand.TransitionDevice) commands(events).get(0)).target()));
        }
        events = f.report(f.changed((AgentCommand.TransitionDevice) commands(events).get(0), MigrationState.PRE_COPY));
        // the stream opened; the device keeps dirtying far more than the budget allows
        f.report(new AgentEvent.PreCopyProgress(SRC, SRC_AGENT, VM, src(0), f.next(src(0)), f.now(), MIG, 1 << 20, 1L << 40,
                1 << 20, 1 << 20));
        assertThat(f.phases()).endsWith(Phase.PRE_COPY);

        f.advance(MigrationPolicy.defaults().maxPreCopy());
        List<SagaEvent> fired = f.when(new SagaInput.Timer(f.now()));
        assertThat(of(fired, SagaEvent.RollbackStarted.class)).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("pre-copy did not converge within PT1M"));
    }

    @Test
    void pastTheCommitPointAFailedArcIsRetriedAndAnErrorFailsTheMigrationWithEveryDeviceState() {
        SagaFixture f = new SagaFixture().devices(2, P2P);
        f.answerUntil(f.start(SagaFixture.noPreCopy()), Phase.RESUME_P2P);
        List<AgentCommand.TransitionDevice> resume = f.transitions(DST, MigrationState.RUNNING_P2P);
        AgentCommand.TransitionDevice first = resume.get(resume.size() - 2);

        // When the arc fails but the device stays in STOP, the same arc is asked again
        List<SagaEvent> transient_ = f.report(new AgentEvent.TransitionFailed(DST, DST_AGENT, VM, first.device(),
                f.next(first.device()), f.now(), Optional.of(first.id()), MigrationState.STOP,
                MigrationState.RUNNING_P2P, 5, MigrationState.STOP, "busy"));
        assertThat(of(transient_, SagaEvent.MigrationFailed.class)).isEmpty();
        AgentCommand.TransitionDevice retry = (AgentCommand.TransitionDevice) commands(transient_).get(0);
        assertThat(retry.device()).isEqualTo(first.device());
        assertThat(retry.target()).isEqualTo(MigrationState.RUNNING_P2P);

        // When it fails into ERROR, the migration fails once no command is live, naming every device
        f.putReal(first.device(), MigrationState.ERROR);
        f.report(new AgentEvent.TransitionFailed(DST, DST_AGENT, VM, first.device(), f.next(first.device()), f.now(),
                Optional.of(retry.id()), MigrationState.STOP, MigrationState.RUNNING_P2P, 5, MigrationState.ERROR,
                "firmware"));
        f.answerAll(List.of(new SagaEvent.CommandIssued(resume.get(resume.size() - 1))));
        assertThat(of(f.log, SagaEvent.MigrationFailed.class)).singleElement().satisfies(m -> {
            assertThat(m.reason()).startsWith("after the commit point: device dst-0: SET STOP>RUNNING_P2P failed");
            assertThat(m.devices()).hasSize(4).contains(new DeviceSnapshot(DST, dst(0), MigrationState.ERROR),
                    new DeviceSnapshot(DST, dst(1), MigrationState.RUNNING_P2P),
                    new DeviceSnapshot(SRC, src(0), MigrationState.STOP_COPY));
        });
    }

    @Test
    void aFailureListsTheUnansweredCommandBesideTheLastReportAndALateAnswerStillUpdatesTheDevice() {
        // Given a migration past the commit point whose dst-0 never answers STOP>RUNNING_P2P
        SagaFixture f = new SagaFixture().devices(2, P2P);
        f.answerUntil(f.start(SagaFixture.noPreCopy()), Phase.RESUME_P2P);
        for (AgentCommand.TransitionDevice c : f.transitions(DST, MigrationState.RUNNING_P2P)) {
            if (!c.device().equals(dst(0))) {
                f.answerOne(c);
            }
        }
        AgentCommand.TransitionDevice last = null;
        for (int guard = 0; guard < 50 && of(f.log, SagaEvent.MigrationFailed.class).isEmpty(); guard++) {
            f.millis = f.saga.nextDeadline(f.state).orElseThrow().toEpochMilli() - SagaFixture.T0.toEpochMilli();
            for (AgentCommand c : commands(f.when(new SagaInput.Timer(f.now())))) {
                last = (AgentCommand.TransitionDevice) c;
            }
        }

        // Then the failure lists dst-0 in STOP with every STOP>RUNNING_P2P it was sent, any of which may have run late
        AgentCommand.TransitionDevice unanswered = last;
        assertThat(unanswered.device()).isEqualTo(dst(0));
        assertThat(of(f.log, SagaEvent.MigrationFailed.class)).singleElement().satisfies(m -> {
            assertThat(m.reason()).startsWith("after the commit point");
            assertThat(m.devices()).contains(new DeviceSnapshot(DST, dst(0), MigrationState.STOP,
                    unansweredSince(f, dst(0))),
                    new DeviceSnapshot(DST, dst(1), MigrationState.RUNNING_P2P),
                    new DeviceSnapshot(SRC, src(0), MigrationState.STOP_COPY));
            assertThat(unansweredSince(f, dst(0))).hasSizeGreaterThan(1).last()
                    .isEqualTo(new DeviceSnapshot.Unanswered(unanswered.id(), MigrationState.RUNNING_P2P));
            DeviceSnapshot d0 = m.devices().stream().filter(d -> d.device().equals(dst(0))).findFirst().orElseThrow();
            assertThat(d0.admits(MigrationState.STOP)).isTrue();
            assertThat(d0.admits(MigrationState.RUNNING_P2P)).isTrue();
            assertThat(d0.admits(MigrationState.RUNNING)).isFalse();
        });

        // When the arc the agent had started before the deadline ends after the failure
        List<SagaEvent> late = f.report(f.changed(unanswered, MigrationState.RUNNING_P2P));

        // Then it is recorded, decides nothing, and the device's known state is the one reported last
        assertThat(late).singleElement().isInstanceOf(SagaEvent.DeviceReported.class);
        assertThat(f.state.inventory().get(dst(0)).state()).isEqualTo(MigrationState.RUNNING_P2P);
        assertThat(f.saga.fold(f.saga.initialState(), f.log)).isEqualTo(f.state);
        assertThat(SagaAudit.rederive(f.saga, f.log)).isEmpty();
    }

    /** Every command the log sent to {@code d} during RESUME_P2P, oldest first (none was answered). */
    private static List<DeviceSnapshot.Unanswered> unansweredSince(SagaFixture f, DeviceId d) {
        List<SagaEvent> log = f.log;
        int from = 0;
        while (!(log.get(from) instanceof SagaEvent.PhaseEntered p && p.phase() == Phase.RESUME_P2P)) {
            from++;
        }
        return commands(log.subList(from, log.size())).stream()
                .filter(c -> c instanceof AgentCommand.TransitionDevice t && t.device().equals(d))
                .map(c -> new DeviceSnapshot.Unanswered(c.id(), ((AgentCommand.TransitionDevice) c).target())).toList();
    }

    @Test
    void replayingTheLogRebuildsTheStateAndReDecidingRecordedInputsGivesTheSameEvents() {
        SagaFixture f = new SagaFixture().devices(3, P2P_PRE_COPY);
        f.answerAll(f.start(MigrationPolicy.defaults()));
        assertThat(f.saga.fold(f.saga.initialState(), f.log)).isEqualTo(f.state);
        assertThat(SagaAudit.rederive(f.saga, f.log)).isEmpty();
    }
}
