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

    @Override
    public String toString() {
        return value;
    }
}
