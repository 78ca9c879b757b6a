package dev.vfo.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metric tags come from the saga's own reasons: a reworded reason must fail here, not silently count as OTHER. */
class RejectReasonTest {
    private final MigrationSaga saga = new MigrationSaga();
    private final VmId vm = new VmId("vm-1");
    private final DeviceId device = new DeviceId("dev-1");
    private final Instant t = Instant.parse("2026-11-23T20:00:00Z");

    private String ignored(SagaState s, AgentEvent e) {
        List<SagaEvent> out = saga.decide(new SagaInput.Report(e, t), s);
        return ((SagaEvent.InputIgnored) out.get(1)).reason();
    }

    private AgentEvent.DeviceStateChanged changed(String host, long sequence) {
        return new AgentEvent.DeviceStateChanged(new HostId(host), new AgentId("agent-" + host), vm, device, sequence,
                t, Optional.empty(), MigrationState.RUNNING, MigrationState.STOP, t, 0, Optional.empty());
    }

    @Test
    void classifiesTheSagasReasons() {
        assertThat(RejectReason.of(ignored(SagaState.EMPTY, changed("h1", 1)))).isEqualTo(RejectReason.UNKNOWN_DEVICE);
        AgentEvent.DeviceRegistered reg = new AgentEvent.DeviceRegistered(new HostId("h1"), new AgentId("agent-h1"),
                vm, device, 1, t, "0000:3b:00.0", "vfio-pci", "m", 3, 0, MigrationState.RUNNING, "h1:7000");
        SagaState registered = saga.fold(SagaState.EMPTY, saga.decide(new SagaInput.Report(reg, t), SagaState.EMPTY));
        assertThat(RejectReason.of(ignored(registered, changed("h2", 5)))).isEqualTo(RejectReason.FOREIGN_AGENT);
        assertThat(RejectReason.of(ignored(registered, changed("h1", 1)))).isEqualTo(RejectReason.DUPLICATE_OR_STALE);
        assertThat(RejectReason.of("something new")).isEqualTo(RejectReason.OTHER);
        assertThat(RejectReason.tags()).contains("foreign_agent").doesNotHaveDuplicates();
    }
}
