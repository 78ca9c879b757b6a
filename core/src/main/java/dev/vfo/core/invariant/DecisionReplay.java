package dev.vfo.core.invariant;

import dev.vfo.core.saga.Decider;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code SagaAudit.rederive}, one log entry at a time: feeds each recorded input through
 * {@code decide} and compares the decisions that follow it in the log with the re-derived ones.
 * Holds only the saga state and the decisions of the current input, so an audit can stream a log
 * of any length. After a difference the state follows the log (what the coordinator did), and
 * the next input starts a fresh comparison, so each drift or tampering is reported once, where
 * it happened. Not thread-safe; one replay per VM.
 */
public final class DecisionReplay {

    private final Decider<SagaInput, SagaState, SagaEvent> saga;
    private final Deque<SagaEvent> expected = new ArrayDeque<>();
    private SagaState state;
    private boolean diverged;
    /** Set when the log cannot be folded any more (a tampered log can contradict the saga's state); replay stops. */
    private boolean unfoldable;
    private long entries;

    public DecisionReplay(Decider<SagaInput, SagaState, SagaEvent> saga) {
        this.saga = Objects.requireNonNull(saga);
        this.state = saga.initialState();
    }

    /** The next log entry of the VM; a description of the difference, if the log differs from the re-derivation here. */
    public Optional<String> next(SagaEvent logged) {
        Objects.requireNonNull(logged);
        long index = entries++;
        if (unfoldable) {
            return Optional.empty();
        }
        Optional<String> problem;
        try {
            problem = compare(logged, index);
            state = saga.evolve(state, logged);
        } catch (RuntimeException e) {
            // decide/evolve assume a log they wrote; one that contradicts itself stops the replay here.
            unfoldable = true;
            String stop = "log entry " + index + " (" + logged.kind() + ") cannot be replayed on the state before it ("
                    + e + "); replay of this VM stops here";
            return Optional.of(diverged ? "log entry " + index + " was not decided by replay; " + stop : stop);
        }
        return problem;
    }

    private Optional<String> compare(SagaEvent logged, long index) {
        Optional<String> problem = Optional.empty();
        if (logged.recordsInput()) {
            if (!expected.isEmpty() && !diverged) {
                problem = Optional.of("before log entry " + index + " the log lacks " + expected.size()
                        + " decision(s) re-derived from the previous input, first " + expected.peek());
            }
            expected.clear();
            diverged = false;
            List<SagaEvent> decided = saga.decide(logged.input(), state);
            expected.addAll(decided);
        }
        SagaEvent want = expected.poll();
        if (!diverged && problem.isEmpty()) {
            if (want == null) {
                diverged = true;
                problem = Optional.of("log entry " + index + " (" + logged.kind() + ") is a decision that replaying the"
                        + " recorded input before it does not make: " + logged);
            } else if (!want.equals(logged)) {
                diverged = true;
                problem = Optional.of("replaying the input before log entry " + index + " decides " + want
                        + " but the log has " + logged);
            }
        }
        return problem;
    }

    /** At the end of the log: decisions the last input should have caused that the log lacks. */
    public Optional<String> end() {
        if (expected.isEmpty() || diverged || unfoldable) {
            return Optional.empty();
        }
        return Optional.of("the log ends without " + expected.size() + " decision(s) re-derived from its last input,"
                + " first " + expected.peek());
    }

    /** The state folded from every entry so far. */
    public SagaState state() {
        return state;
    }
}
