package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.vfio.MigrationState;

/**
 * The enums shared by every mapping. The Avro enums add an UNKNOWN default symbol (what an old
 * reader gets for a newer writer's symbol); it maps to a refusal, never to a domain value.
 */
final class Vocabulary {

    /** Domain states by Avro ordinal (null for UNKNOWN): by name, each lookup hashed the name. */
    private static final MigrationState[] STATES = byOrdinal(dev.vfo.schemas.avro.MigrationState.values(),
            MigrationState.class);
    private static final AgentEvent.Direction[] DIRECTIONS = byOrdinal(dev.vfo.schemas.avro.Direction.values(),
            AgentEvent.Direction.class);

    private Vocabulary() {}

    private static <A extends Enum<A>, D extends Enum<D>> D[] byOrdinal(A[] avro, Class<D> domain) {
        @SuppressWarnings("unchecked")
        D[] out = (D[]) java.lang.reflect.Array.newInstance(domain, avro.length);
        for (A a : avro) {
            if (!a.name().equals("UNKNOWN")) {
                out[a.ordinal()] = Enum.valueOf(domain, a.name());
            }
        }
        return out;
    }

    static dev.vfo.schemas.avro.MigrationState toAvro(MigrationState s) {
        return dev.vfo.schemas.avro.MigrationState.valueOf(s.name());
    }

    static MigrationState toDomain(dev.vfo.schemas.avro.MigrationState s, String field) {
        if (s == dev.vfo.schemas.avro.MigrationState.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, field + ": a migration state this version does not know");
        }
        return STATES[s.ordinal()];
    }

    static dev.vfo.schemas.avro.Direction toAvro(AgentEvent.Direction d) {
        return dev.vfo.schemas.avro.Direction.valueOf(d.name());
    }

    static AgentEvent.Direction toDomain(dev.vfo.schemas.avro.Direction d, String field) {
        if (d == dev.vfo.schemas.avro.Direction.UNKNOWN) {
            throw new Refusal(Failure.Reason.UNKNOWN_SYMBOL, field + ": a transfer direction this version does not know");
        }
        return DIRECTIONS[d.ordinal()];
    }
}
