package dev.vfo.coordinator.loop;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaState;
import dev.vfo.schemas.chain.ChainHead;
import java.util.Objects;

/**
 * One VM as the loop owns it: the saga state (the fold of its log), the end of its hash chain, and
 * how many log entries were written since its last snapshot ({@code snapshotted} false: none yet).
 */
record VmLog(SagaState state, ChainHead head, long sinceSnapshot, boolean snapshotted) {
    VmLog {
        Objects.requireNonNull(state);
        Objects.requireNonNull(head);
    }

    static VmLog genesis(VmId vm) {
        return new VmLog(SagaState.EMPTY, ChainHead.genesis(vm), 0, false);
    }

    VmLog advanced(SagaState s, ChainHead h) {
        return new VmLog(s, h, sinceSnapshot + 1, snapshotted);
    }

    VmLog snapshotTaken() {
        return new VmLog(state, head, 0, true);
    }
}
