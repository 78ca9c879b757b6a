package dev.vfo.core.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.invariant.Termination;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.sim.Recording;
import dev.vfo.core.sim.Simulation;
import dev.vfo.core.vfio.MigrationState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seed 240 of the simulator: the coordinator gave up after dst-4's STOP>RUNNING_P2P passed its
 * deadline, but the agent had started the arc in time and ended it in RUNNING_P2P afterwards. The
 * failure's report must still hold whichever way the arc went.
 */
class FailedReportTest {

    private static final DeviceId LATE = new DeviceId("dst-4");

    @Test
    void seed240ReportsTheArcInFlightSoEveryDeviceIsWhereTheReportSaysItMayBe() {
        Recording r = Simulation.record(240);
        assertThat(r.result().outcome()).isEqualTo("FAILED");
        SagaEvent.MigrationFailed failed = r.log().stream().filter(SagaEvent.MigrationFailed.class::isInstance)
                .map(SagaEvent.MigrationFailed.class::cast).findFirst().orElseThrow();
        Map<DeviceId, MigrationState> last = lastStates(r);

        DeviceSnapshot late = failed.devices().stream().filter(d -> d.device().equals(LATE)).findFirst().orElseThrow();
        assertThat(late.state()).isEqualTo(MigrationState.STOP);
        assertThat(late.unanswered()).isNotEmpty()
                .allSatisfy(u -> assertThat(u.target()).isEqualTo(MigrationState.RUNNING_P2P));
        assertThat(last.get(LATE)).isEqualTo(MigrationState.RUNNING_P2P);

        Map<DeviceId, MigrationState> reported = new HashMap<>();
        Map<DeviceId, Set<MigrationState>> unanswered = new HashMap<>();
        for (DeviceSnapshot d : failed.devices()) {
            assertThat(d.admits(last.get(d.device()))).as("%s, agent's last state %s", d, last.get(d.device()))
                    .isTrue();
            reported.put(d.device(), d.state());
            unanswered.put(d.device(), d.doubtful());
        }
        Map<DeviceId, MigrationState> sides = new LinkedHashMap<>(last);
        sides.keySet().retainAll(reported.keySet());
        assertThat(Termination.check(new Termination.Ending(r.vm(), Termination.Outcome.FAILED,
                failed.devices().get(0).host(), failed.devices().get(failed.devices().size() - 1).host(), sides,
                Map.of(), false, false, reported, unanswered, 0))).isEmpty();
    }

    @Test
    void everyFailedRunAmongTheFirst1000SeedsListsWhereItsDevicesEndedUp() {
        int failedRuns = 0;
        for (long seed = 0; seed < 1000; seed++) {
            Recording r = Simulation.record(seed);
            for (SagaEvent e : r.log()) {
                if (e instanceof SagaEvent.MigrationFailed f) {
                    failedRuns++;
                    Map<DeviceId, MigrationState> last = lastStates(r);
                    f.devices().forEach(d -> assertThat(d.admits(last.get(d.device())))
                            .as("seed %d: %s ended in %s", r.result().seed(), d, last.get(d.device())).isTrue());
                }
            }
        }
        assertThat(failedRuns).as("FAILED runs among seeds 0..999").isGreaterThan(1);
    }

    @Test
    void terminationAcceptsTheLastReportOrTheUnansweredTargetAndNothingElse() {
        Recording r = Simulation.record(240);
        SagaEvent.MigrationFailed failed = r.log().stream().filter(SagaEvent.MigrationFailed.class::isInstance)
                .map(SagaEvent.MigrationFailed.class::cast).findFirst().orElseThrow();
        DeviceSnapshot late = failed.devices().stream().filter(d -> d.device().equals(LATE)).findFirst().orElseThrow();
        for (MigrationState real : MigrationState.values()) {
            boolean expected = real == MigrationState.STOP || real == MigrationState.RUNNING_P2P;
            assertThat(Termination.check(new Termination.Ending(r.vm(), Termination.Outcome.FAILED, late.host(),
                    late.host(), Map.of(), Map.of(LATE, real), false, false, Map.of(LATE, late.state()),
                    Map.of(LATE, late.doubtful()), 0))).as("%s", real)
                    .hasSize(expected ? 0 : 1);
        }
    }

    /**
     * Each device's state as the coordinator knows it at the end of the run: the failure's view plus
     * every report recorded after it. The simulator checks this equals the devices' real states.
     */
    private static Map<DeviceId, MigrationState> lastStates(Recording r) {
        MigrationSaga saga = new MigrationSaga();
        Map<DeviceId, MigrationState> out = new HashMap<>();
        saga.fold(saga.initialState(), r.log()).inventory().forEach((id, k) -> out.put(id, k.state()));
        return out;
    }
}
