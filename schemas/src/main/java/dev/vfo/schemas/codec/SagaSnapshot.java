package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaState;
import dev.vfo.schemas.chain.ChainHead;
import java.util.Objects;

/**
 * A VM's saga state where no migration was in flight, the end of its hash chain there, and the
 * coordinator-log offset from which a rebuild folds on. Only such states are snapshotted: they are
 * small (no plan, steps or streams) and every migration's history is then replayed from the log.
 */
public record SagaSnapshot(VmId vm, long logOffset, ChainHead head, SagaState state) {
    public SagaSnapshot {
        Objects.requireNonNull(vm);
        Objects.requireNonNull(head);
        Objects.requireNonNull(state);
        if (!head.vm().equals(vm)) {
            throw new IllegalArgumentException("chain head of " + head.vm() + " in the snapshot of " + vm);
        }
        if (state.active().isPresent()) {
            throw new IllegalArgumentException("only a state without a migration in flight is snapshotted");
        }
        if (logOffset < 0) {
            throw new IllegalArgumentException("logOffset must not be negative, was " + logOffset);
        }
    }
}
