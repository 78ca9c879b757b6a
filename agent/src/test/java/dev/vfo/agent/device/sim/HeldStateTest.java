package dev.vfo.agent.device.sim;

import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.PRE_COPY_P2P;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.ManualClock;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated device's kernel-side state outlives the agent object that drove it, as on the group path. */
class HeldStateTest {
    private final ManualClock clock = new ManualClock();

    @TempDir
    Path dir;

    private SimulatedDevice device(SimulatedDeviceSpec spec, Path hold) {
        return new SimulatedDevice(spec, clock, clock::sleep, Optional.of(hold));
    }

    private static Arc arc(MigrationCapability cap, MigrationState from, MigrationState to) {
        return ((Transition.Path) MigrationFsm.plan(cap, from, to)).arcs().get(0);
    }

    @Test
    void a_device_reopened_after_the_agent_died_is_still_quiesced() {
        Path hold = dir.resolve("d0.state");
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("d0").withCapability(MigrationCapability.STOP_COPY_P2P);
        SimulatedDevice first = device(spec, hold);
        assertThat(first.setState(arc(MigrationCapability.STOP_COPY_P2P, RUNNING, RUNNING_P2P)))
                .isInstanceOf(ArcResult.Completed.class);
        // kill -9: the object is dropped without close; a new agent run opens the device again.
        SimulatedDevice reopened = device(spec, hold);
        assertThat(reopened.state().ok()).contains(RUNNING_P2P);
        assertThat(reopened.setState(arc(MigrationCapability.STOP_COPY_P2P, RUNNING_P2P, STOP)))
                .isInstanceOf(ArcResult.Completed.class);
        assertThat(device(spec, hold).state().ok()).contains(STOP);
    }

    @Test
    void without_a_hold_file_a_device_starts_running_and_a_reset_is_held_too() {
        Path hold = dir.resolve("d1.state");
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("d1");
        assertThat(device(spec, hold).state().ok()).contains(RUNNING);
        SimulatedDevice d = device(spec, hold);
        d.setState(arc(MigrationCapability.STOP_COPY_P2P_PRE_COPY, RUNNING, PRE_COPY));
        d.reset();
        assertThat(device(spec, hold).state().ok()).contains(RUNNING);
    }

    @Test
    void a_saving_device_whose_session_died_with_the_agent_still_moves_but_has_nothing_to_read() {
        Path hold = dir.resolve("d2.state");
        SimulatedDeviceSpec spec = SimulatedDeviceSpec.of("d2").withContent(new ContentIdentity("d2", 5, 1));
        SimulatedDevice first = device(spec, hold);
        first.setState(arc(MigrationCapability.STOP_COPY_P2P_PRE_COPY, RUNNING, PRE_COPY));
        first.setState(arc(MigrationCapability.STOP_COPY_P2P_PRE_COPY, PRE_COPY, PRE_COPY_P2P));
        SimulatedDevice reopened = device(spec, hold);
        assertThat(reopened.content()).isEqualTo(new ContentIdentity("d2", 5, 1));
        assertThat(reopened.setState(arc(MigrationCapability.STOP_COPY_P2P_PRE_COPY, PRE_COPY_P2P, STOP_COPY)))
                .isInstanceOfSatisfying(ArcResult.Completed.class, c -> assertThat(c.session()).isEmpty());
        assertThat(HeldState.load(hold)).contains(new HeldState(STOP_COPY, new ContentIdentity("d2", 5, 1)));
    }
}
