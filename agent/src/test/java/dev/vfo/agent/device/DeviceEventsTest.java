package dev.vfo.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.sim.AfterFailure;
import dev.vfo.agent.device.sim.ArcFault;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceEventsTest {
    private final ManualClock clock = new ManualClock();
    private final DeviceEvents events = new DeviceEvents(new HostId("h1"), new AgentId("agent-h1"), new VmId("vm-7"),
            new DeviceId("h1/0000:3b:00.2"));
    private final Optional<CommandId> command = Optional.of(new CommandId("c-1"));

    @Test
    void each_completed_arc_and_the_failed_one_become_events_in_order() {
        SimulatedDevice d = new SimulatedDevice(SimulatedDeviceSpec.of("d")
                .withFault(ArcFault.once(MigrationState.RUNNING_P2P, MigrationState.STOP, Errno.EIO.value(), AfterFailure.ERROR)),
                clock, clock::sleep);
        List<AgentEvent> out = new ArrayList<>();
        long[] seq = {41};
        Walk w = new DeviceStepper(d, clock).walk(MigrationState.STOP_COPY,
                arc -> out.add(events.stateChanged(++seq[0], command, arc)));
        out.add(events.transitionFailed(++seq[0], clock.instant(), command, (Walk.Failed) w));

        assertThat(out).hasSize(2);
        AgentEvent.DeviceStateChanged changed = (AgentEvent.DeviceStateChanged) out.get(0);
        assertThat(changed.sequence()).isEqualTo(42);
        assertThat(changed.from()).isEqualTo(MigrationState.RUNNING);
        assertThat(changed.to()).isEqualTo(MigrationState.RUNNING_P2P);
        assertThat(changed.answers()).isEqualTo(command);
        AgentEvent.TransitionFailed failed = (AgentEvent.TransitionFailed) out.get(1);
        assertThat(failed.sequence()).isEqualTo(43);
        assertThat(failed.from()).isEqualTo(MigrationState.RUNNING_P2P);
        assertThat(failed.requested()).isEqualTo(MigrationState.STOP);
        assertThat(failed.errno()).isEqualTo(5);
        assertThat(failed.readBack()).isEqualTo(MigrationState.ERROR);
        assertThat(failed.detail()).startsWith("EIO(5): injected fault");
    }

    @Test
    void an_unreadable_read_back_is_reported_as_ERROR_and_says_so() {
        SimulatedDevice d = new SimulatedDevice(SimulatedDeviceSpec.of("d"), clock, clock::sleep);
        Walk.Reached reached = (Walk.Reached) new DeviceStepper(d, clock).walk(MigrationState.RUNNING_P2P);
        assertThat(reached.completed()).hasSize(1);
        Walk.Failed unknown = new Walk.Failed(MigrationState.STOP, List.of(), reached.completed().get(0).arc(), 5,
                "SET failed", Outcome.failed(Errno.EIO, "GET MIG_DEVICE_STATE"));
        AgentEvent.TransitionFailed e = events.transitionFailed(1, clock.instant(), Optional.empty(), unknown);
        assertThat(e.readBack()).isEqualTo(MigrationState.ERROR);
        assertThat(e.detail()).contains("could not be read back (EIO(5): GET MIG_DEVICE_STATE), reported as ERROR");
    }
}
