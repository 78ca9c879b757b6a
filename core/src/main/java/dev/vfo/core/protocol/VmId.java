package dev.vfo.core.protocol;

/** Identifies a virtual machine, unique in the fleet. */
public record VmId(String value) implements Comparable<VmId> {
    public VmId {
        value = Ids.check("VmId", value);
    }

    @Override
    public int compareTo(VmId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof VmId other && value.equals(other.value));
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
