package dev.vfo.core.saga;

import java.util.List;

/**
 * The event-sourcing decider: {@code decide} turns an input and the current state into events,
 * {@code evolve} folds one event into the state. State is nothing but the fold of the events from
 * {@link #initialState()}, so replaying a log rebuilds it exactly and an audit can re-run every
 * decision. Both functions are pure: no clock, no I/O, no randomness.
 *
 * @param <I> inputs (requests, observations, timer firings)
 * @param <S> state (an immutable value with structural equality)
 * @param <E> events (the log's records)
 */
public interface Decider<I, S, E> {

    S initialState();

    /** The events that record {@code input} and everything decided because of it, in log order. */
    List<E> decide(I input, S state);

    S evolve(S state, E event);

    /** What {@link #decide} returns, with the state after folding those events into the state decided on. */
    record Decided<S, E>(List<E> events, S state) {
        public Decided {
            events = List.copyOf(events);
        }
    }

    /**
     * {@code decide}, and the fold of its events: a replay that finds the log agrees needs the
     * state after them, which a decider that folds as it decides already has.
     */
    default Decided<S, E> decideAndFold(I input, S state) {
        List<E> events = decide(input, state);
        return new Decided<>(events, fold(state, events));
    }

    /** True when nothing is in flight: no input can lead to a command until a new request. */
    boolean isTerminal(S state);

    /** Folds {@code events} from {@code state}. */
    default S fold(S state, Iterable<? extends E> events) {
        S s = state;
        for (E e : events) {
            s = evolve(s, e);
        }
        return s;
    }
}
