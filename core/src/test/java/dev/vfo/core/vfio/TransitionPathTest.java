package dev.vfo.core.vfio;

import static dev.vfo.core.vfio.MigrationState.PRE_COPY;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.RUNNING_P2P;
import static dev.vfo.core.vfio.MigrationState.STOP;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Arc} promises that every arc a caller holds is one the kernel walks itself, so a backend
 * that sends only arcs can never send STOP_COPY&gt;PRE_COPY ({@code vfio_from_fsm_table} has ERROR
 * there; pre-2026 kernels spin forever on it). Arcs come from {@link Transition.Path#arcs()}, so a
 * Path must only ever hold the walk {@code vfio_mig_get_next_state()} produces.
 */
class TransitionPathTest {

    @Test
    void aPathTheKernelNeverWalksCannotBeBuiltSoItsArcsCannotExist() {
        // The blocked request, dressed up as a one-arc path.
        assertThatThrownBy(() -> new Transition.Path(MigrationCapability.STOP_COPY_P2P_PRE_COPY, List.of(STOP_COPY, PRE_COPY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STOP_COPY>PRE_COPY is not the path the kernel walks");
        // RUNNING>STOP is not an arc when P2P exists: the kernel goes through RUNNING_P2P.
        assertThatThrownBy(() -> new Transition.Path(MigrationCapability.STOP_COPY_P2P, List.of(RUNNING, STOP)))
                .isInstanceOf(IllegalArgumentException.class);
        // A state the device does not have.
        assertThatThrownBy(() -> new Transition.Path(MigrationCapability.STOP_COPY, List.of(RUNNING, RUNNING_P2P)))
                .isInstanceOf(IllegalArgumentException.class);
        // Going past the target and back.
        assertThatThrownBy(() -> new Transition.Path(MigrationCapability.STOP_COPY, List.of(RUNNING, STOP, RUNNING)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPathTheModelPlansCanBeRebuiltFromItsStates() {
        for (MigrationCapability c : MigrationCapability.values()) {
            for (MigrationState cur : MigrationState.values()) {
                for (MigrationState target : MigrationState.values()) {
                    if (MigrationFsm.plan(c, cur, target) instanceof Transition.Path p) {
                        assertThat(new Transition.Path(c, p.states())).isEqualTo(p);
                    }
                }
            }
        }
        assertThat(new Transition.Path(MigrationCapability.STOP_COPY, List.of(RUNNING)).arcs()).isEmpty();
    }
}
