package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.chain.ChainHead;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SagaSnapshotCodecTest {
    private final MigrationSaga saga = new MigrationSaga();
    private final VmId vm = new VmId("vm-1");
    private final Instant t = Instant.parse("2026-11-23T20:00:00.123456789Z");

    private SagaState registered() {
        AgentEvent.DeviceRegistered reg = new AgentEvent.DeviceRegistered(new HostId("h1"), new AgentId("a1"), vm,
                new DeviceId("d1"), 4, t, "0000:3b:00.0", "vfio-pci", "model", 7, 4096, MigrationState.RUNNING_P2P,
                "h1:7000");
        SagaState s = saga.fold(SagaState.EMPTY, saga.decide(new SagaInput.Report(reg, t), SagaState.EMPTY));
        return new SagaState(s.clock(), 3, 17, s.inventory(), Optional.empty(), List.of(new MigrationId("m-old")));
    }

    @Test
    void aSnapshotRoundTripsExactly() {
        SagaSnapshot s = new SagaSnapshot(vm, 42, new ChainHead(vm, 9, Digest.sha256(new byte[] {1})), registered());
        assertThat(LogCodec.decodeSnapshot(LogCodec.encode(s)).orElseThrow()).isEqualTo(s);
    }

    @Test
    void garbageIsAFailureAndInFlightStatesAreNotSnapshotted() {
        assertThat(LogCodec.decodeSnapshot(new byte[] {(byte) 0xC3, 1, 2}).kind()).isEqualTo(Decoded.Kind.FAILED);
        assertThat(LogCodec.decodeSnapshot(LogCodec.encode(new SagaInput.Cancel(new MigrationId("m"), "r", t))).kind())
                .isEqualTo(Decoded.Kind.FAILED);
        assertThatThrownBy(() -> new SagaSnapshot(vm, 0, ChainHead.genesis(new VmId("other")), SagaState.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
