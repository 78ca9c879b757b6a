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

    @Override
    public String toString() {
        return value;
    }
}
