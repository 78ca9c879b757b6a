package dev.vfo.core.protocol;

/** Identifies a hypervisor host; one agent serves each host. */
public record HostId(String value) implements Comparable<HostId> {
    public HostId {
        value = Ids.check("HostId", value);
    }

    @Override
    public int compareTo(HostId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof HostId other && value.equals(other.value));
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
