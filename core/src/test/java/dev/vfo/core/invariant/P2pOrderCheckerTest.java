package dev.vfo.core.invariant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.util.List;
import org.junit.jupiter.api.Test;

class P2pOrderCheckerTest {

    private static final VmId VM = new VmId("vm-1");
    private static final HostId H = new HostId("h1");
    private static final DeviceId A = new DeviceId("a");
    private static final DeviceId B = new DeviceId("b");

    private final P2pOrderChecker checker = new P2pOrderChecker();
    private long position;

    private List<Violation> see(DeviceId d, MigrationState s) {
        return checker.observe(new Observed.DeviceState(VM, H, d, s, ++position));
    }

    private void running(boolean running) {
        checker.observe(new Observed.InstanceRole(VM, H, running, ++position));
    }

    @Test
    void stoppingWhileAPeerCanStillInitiateP2pIsNamedWithRuleVmDeviceAndPosition() {
        running(true);
        see(A, MigrationState.RUNNING);
        see(B, MigrationState.RUNNING);
        see(A, MigrationState.RUNNING_P2P);
        List<Violation> v = see(A, MigrationState.STOP);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.rule()).isEqualTo(Rule.STOP_BEFORE_PEERS_QUIESCED);
            assertThat(x.vm()).isEqualTo(VM);
            assertThat(x.position()).isEqualTo(position);
            assertThat(x.detail()).isEqualTo("device a on h1 entered STOP while peer b is in RUNNING and may still"
                    + " initiate P2P DMA");
        });
    }

    @Test
    void theQuiesceBarrierOrderIsClean() {
        running(true);
        see(A, MigrationState.RUNNING);
        see(B, MigrationState.PRE_COPY);
        assertThat(see(A, MigrationState.RUNNING_P2P)).isEmpty();
        assertThat(see(B, MigrationState.PRE_COPY_P2P)).isEmpty();
        assertThat(see(A, MigrationState.STOP)).isEmpty();
        assertThat(see(B, MigrationState.STOP_COPY)).isEmpty();
        assertThat(see(A, MigrationState.STOP_COPY)).isEmpty();
    }

    @Test
    void runningWhileAPeerIsHaltedIsAViolation() {
        running(true);
        see(A, MigrationState.STOP);
        see(B, MigrationState.RESUMING);
        see(A, MigrationState.RUNNING_P2P);
        assertThat(see(A, MigrationState.RUNNING)).singleElement()
                .satisfies(x -> assertThat(x.rule()).isEqualTo(Rule.RUN_WHILE_PEER_HALTED));
    }

    @Test
    void anInstanceThatRunsNoGuestIsOnlyTracked() {
        see(A, MigrationState.RESUMING);
        assertThat(see(B, MigrationState.RUNNING)).isEmpty();
        running(true);
        assertThat(see(B, MigrationState.PRE_COPY)).hasSize(1);
        assertThat(checker.states(VM, H)).containsEntry(A, MigrationState.RESUMING);
    }

    @Test
    void terminationReportsAMigrationThatNeverFinishedAndAVmRunningTwice() {
        HostId d = new HostId("h2");
        List<Violation> unfinished = Termination.check(new Termination.Ending(VM, Termination.Outcome.UNFINISHED, H, d,
                java.util.Map.of(A, MigrationState.STOP), java.util.Map.of(), true, false, java.util.Map.of(), 7));
        assertThat(unfinished).singleElement().satisfies(x -> assertThat(x.rule()).isEqualTo(Rule.NO_TERMINATION));
        List<Violation> twice = Termination.check(new Termination.Ending(VM, Termination.Outcome.COMPLETED, H, d,
                java.util.Map.of(A, MigrationState.RUNNING), java.util.Map.of(B, MigrationState.RUNNING), true, true,
                java.util.Map.of(), 7));
        assertThat(twice).singleElement().satisfies(x -> assertThat(x.detail()).contains("runs on both hosts"));
    }
}
