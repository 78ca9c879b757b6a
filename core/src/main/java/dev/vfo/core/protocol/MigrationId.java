package dev.vfo.core.protocol;

/** Identifies one migration of one VM. */
public record MigrationId(String value) implements Comparable<MigrationId> {
    public MigrationId {
        value = Ids.check("MigrationId", value);
    }

    @Override
    public int compareTo(MigrationId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof MigrationId other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
