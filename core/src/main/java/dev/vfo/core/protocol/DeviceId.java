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

    @Override
    public String toString() {
        return value;
    }
}
