package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import java.util.Objects;

/** What became of a {@link MigrationRequest}. Handle exhaustively with a switch over {@link #kind()}. */
public sealed interface SubmitOutcome {
    Kind kind();

    enum Kind {
        ACCEPTED,
        DUPLICATE,
        ALREADY_MIGRATING,
        REFUSED
    }

    /** The saga took the plan and the migration started. */
    record Accepted(MigrationView migration) implements SubmitOutcome {
        public Accepted {
            Objects.requireNonNull(migration, "migration");
        }

        @Override
        public Kind kind() {
            return Kind.ACCEPTED;
        }
    }

    /** A migration with the request's id exists already (a retry); nothing new started. */
    record Duplicate(MigrationView original) implements SubmitOutcome {
        public Duplicate {
            Objects.requireNonNull(original, "original");
        }

        @Override
        public Kind kind() {
            return Kind.DUPLICATE;
        }
    }

    /** The VM is in another migration; one VM migrates at a time. */
    record AlreadyMigrating(MigrationId active) implements SubmitOutcome {
        public AlreadyMigrating {
            Objects.requireNonNull(active, "active");
        }

        @Override
        public Kind kind() {
            return Kind.ALREADY_MIGRATING;
        }
    }

    /** The saga refuses the plan (unknown device, incompatible models, no P2P support ...). */
    record Refused(String reason) implements SubmitOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.REFUSED;
        }
    }
}
