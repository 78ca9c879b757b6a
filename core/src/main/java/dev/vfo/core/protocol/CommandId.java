package dev.vfo.core.protocol;

/** Identifies one command to an agent; an agent applies a command id at most once. */
public record CommandId(String value) implements Comparable<CommandId> {
    public CommandId {
        value = Ids.check("CommandId", value);
    }

    @Override
    public int compareTo(CommandId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof CommandId other && value.equals(other.value));
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
