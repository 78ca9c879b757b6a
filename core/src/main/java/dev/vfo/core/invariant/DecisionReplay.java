package dev.vfo.core.invariant;

import dev.vfo.core.saga.Decider;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
    /** The fold of everything before {@link #pending}. */
    private SagaState state;
    /**
     * The entries of the current input read so far, not folded yet: while they equal the
     * re-derived decisions, the state after them is {@link #decided}'s (decide folded them
     * already), so they are folded only if the log departs from the re-derivation. Folding every
     * entry again was a third of the audit's replay cost.
     */
    private final List<SagaEvent> pending = new ArrayList<>();
    private SagaState decided;
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
            if (problem.isEmpty() && !diverged && decided != null) {
                pending.add(logged);
                if (expected.isEmpty()) {
                    state = decided; // the log has every decision of the input, as re-derived
                    pending.clear();
                    decided = null;
                }
            } else {
                settle();
                state = saga.evolve(state, logged);
            }
        } catch (RuntimeException e) {
            // decide/evolve assume a log they wrote; one that contradicts itself stops the replay here.
            unfoldable = true;
            String stop = "log entry " + index + " (" + logged.kind() + ") cannot be replayed on the state before it ("
                    + e + "); replay of this VM stops here";
            return Optional.of(diverged ? "log entry " + index + " was not decided by replay; " + stop : stop);
        }
        return problem;
    }

    /** Folds the entries held back: the log departed from the re-derivation, or it ends inside an input's decisions. */
    private void settle() {
        for (SagaEvent e : pending) {
            state = saga.evolve(state, e);
        }
        pending.clear();
        decided = null;
    }

    private Optional<String> compare(SagaEvent logged, long index) {
        Optional<String> problem = Optional.empty();
        if (logged.recordsInput()) {
            if (!expected.isEmpty() && !diverged) {
                problem = Optional.of("before log entry " + index + " the log lacks " + expected.size()
                        + " decision(s) re-derived from the previous input, first " + expected.peek());
            }
            settle();
            expected.clear();
            diverged = false;
            Decider.Decided<SagaState, SagaEvent> d = saga.decideAndFold(logged.input(), state);
            expected.addAll(d.events());
            decided = d.state();
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
        settle();
        return state;
    }
}
