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

    @Override
    public String toString() {
        return value;
    }
}
