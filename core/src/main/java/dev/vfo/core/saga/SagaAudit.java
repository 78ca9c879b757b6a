package dev.vfo.core.saga;

import java.util.List;
import java.util.Optional;

/**
 * Re-derives a recorded log: every decision must be what {@code decide} makes of the recorded
 * input before it, folded over everything before that. This is the audit's core and the
 * simulator's replay check.
 */
public final class SagaAudit {

    private SagaAudit() {}

    /** The first place where the log and the re-derived decisions differ, or empty if none. */
    public static Optional<String> rederive(Decider<SagaInput, SagaState, SagaEvent> saga, List<SagaEvent> log) {
        SagaState s = saga.initialState();
        int i = 0;
        while (i < log.size()) {
            SagaEvent e = log.get(i);
            if (!e.recordsInput()) {
                return Optional.of("log entry " + i + " (" + e.kind() + ") is a decision without a recorded input before it");
            }
            for (SagaEvent d : saga.decide(e.input(), s)) {
                if (i >= log.size() || !log.get(i).equals(d)) {
                    return Optional.of("replaying the input before log entry " + i + " decides " + d + " but the log has "
                            + (i < log.size() ? log.get(i) : "nothing"));
                }
                s = saga.evolve(s, d);
                i++;
            }
        }
        return Optional.empty();
    }
}
