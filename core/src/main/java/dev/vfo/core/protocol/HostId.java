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

    @Override
    public String toString() {
        return value;
    }
}
