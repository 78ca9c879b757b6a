package dev.vfo.coordinator.api;

import java.util.Objects;

/** What became of a cancellation. Handle exhaustively with a switch over {@link #kind()}. */
public sealed interface CancelOutcome {
    Kind kind();

    enum Kind {
        CANCELLING,
        NOT_FOUND,
        TOO_LATE
    }

    /** The saga will roll the migration back; the view is its state when the cancel was taken. */
    record Cancelling(MigrationView migration) implements CancelOutcome {
        public Cancelling {
            Objects.requireNonNull(migration, "migration");
        }

        @Override
        public Kind kind() {
            return Kind.CANCELLING;
        }
    }

    /** No migration has this id. */
    record NotFound() implements CancelOutcome {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }
    }

    /** The migration passed its commit point or already ended; {@code reason} says which. */
    record TooLate(String reason) implements CancelOutcome {
        public TooLate {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.TOO_LATE;
        }
    }
}
