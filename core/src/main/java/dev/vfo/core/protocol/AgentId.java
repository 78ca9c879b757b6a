package dev.vfo.core.protocol;

/** Identifies one agent process incarnation's identity (stable across restarts of the same host's agent). */
public record AgentId(String value) implements Comparable<AgentId> {
    public AgentId {
        value = Ids.check("AgentId", value);
    }

    @Override
    public int compareTo(AgentId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof AgentId other && value.equals(other.value));
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
