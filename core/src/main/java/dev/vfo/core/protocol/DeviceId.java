package dev.vfo.core.protocol;

/** Identifies a VFIO device, unique in the fleet (e.g. host/PCI address). */
public record DeviceId(String value) implements Comparable<DeviceId> {
    public DeviceId {
        value = Ids.check("DeviceId", value);
    }

    @Override
    public int compareTo(DeviceId o) {
        return value.compareTo(o.value);
    }

    /**
     * Written out, as is {@link #hashCode} (the same value the generated one gives): the generated
     * record equals runs through method handles, and ids are compared on every event.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof DeviceId other && value.equals(other.value));
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
