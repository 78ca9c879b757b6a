package dev.vfo.core.sim;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import java.util.List;
import java.util.Objects;

/**
 * A seed's run as evidence: the coordinator's log (every recorded input and decision, in order)
 * and every event the agents produced (each once, in production order, before the simulated
 * network lost, duplicated or delayed any of them). Timestamps are inside the records.
 */
public record Recording(SimResult result, VmId vm, List<SagaEvent> log, List<AgentEvent> produced) {
    public Recording {
        Objects.requireNonNull(result);
        Objects.requireNonNull(vm);
        log = List.copyOf(log);
        produced = List.copyOf(produced);
    }
}
