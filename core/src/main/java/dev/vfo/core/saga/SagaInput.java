package dev.vfo.core.saga;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.MigrationId;
import java.time.Instant;
import java.util.Objects;

/**
 * What the coordinator's shell feeds the saga of one VM. {@code at} is the shell's clock when the
 * input was taken, the only time the saga ever sees. Exhaustive handling: switch over {@link #kind()}.
 */
public sealed interface SagaInput {

    Instant at();

    Kind kind();

    enum Kind {
        START,
        CANCEL,
        REPORT,
        TIMER,
        TAKEOVER
    }

    /** The control plane asks for a migration. */
    record Start(MigrationRequest request, Instant at) implements SagaInput {
        public Start {
            Objects.requireNonNull(request);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.START;
        }
    }

    /** The operator cancels {@code migration}; honoured only before the commit point. */
    record Cancel(MigrationId migration, String reason, Instant at) implements SagaInput {
        public Cancel {
            Objects.requireNonNull(migration);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.CANCEL;
        }
    }

    /** An agent's event, as consumed from the VM's partition. */
    record Report(AgentEvent event, Instant at) implements SagaInput {
        public Report {
            Objects.requireNonNull(event);
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.REPORT;
        }
    }

    /** The shell's timer fired (it fires at {@code MigrationSaga.nextDeadline}). */
    record Timer(Instant at) implements SagaInput {
        public Timer {
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.TIMER;
        }
    }

    /** A coordinator instance took over the VM's partition with this (strictly greater) epoch. */
    record Takeover(long epoch, Instant at) implements SagaInput {
        public Takeover {
            Objects.requireNonNull(at);
        }

        @Override
        public Kind kind() {
            return Kind.TAKEOVER;
        }
    }
}
