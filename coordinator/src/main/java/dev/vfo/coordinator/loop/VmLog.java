package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaState;
import dev.vfo.schemas.chain.ChainHead;
import java.util.Objects;

/** One VM as the loop owns it: the saga state (the fold of its log) and the end of its hash chain. */
record VmLog(SagaState state, ChainHead head) {
    VmLog {
        Objects.requireNonNull(state);
        Objects.requireNonNull(head);
    }

    static VmLog genesis(VmId vm) {
        return new VmLog(SagaState.EMPTY, ChainHead.genesis(vm));
    }
}
