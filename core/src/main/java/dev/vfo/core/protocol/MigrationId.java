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

    @Override
    public String toString() {
        return value;
    }
}
