package dev.vfo.core.vfio.abi;

import java.util.Optional;

/**
 * The feature index in the low 16 bits of {@code vfio_device_feature.flags}
 * ({@code VFIO_DEVICE_FEATURE_*}). The migration path uses MIGRATION, MIG_DEVICE_STATE and
 * MIG_DATA_SIZE; the others are named so a probe or a log line can say what it saw.
 */
public enum FeatureId {
    PCI_VF_TOKEN(0),
    MIGRATION(1),
    MIG_DEVICE_STATE(2),
    LOW_POWER_ENTRY(3),
    LOW_POWER_ENTRY_WITH_WAKEUP(4),
    LOW_POWER_EXIT(5),
    DMA_LOGGING_START(6),
    DMA_LOGGING_STOP(7),
    DMA_LOGGING_REPORT(8),
    MIG_DATA_SIZE(9),
    BUS_MASTER(10),
    DMA_BUF(11);

    private final int value;

    FeatureId(int value) {
        this.value = value;
    }

    /** The id as it sits in the flags word under {@link FeatureFlags#MASK}. */
    public int value() {
        return value;
    }

    /** The header's macro name, e.g. {@code VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE}. */
    public String kernelName() {
        return "VFIO_DEVICE_FEATURE_" + name();
    }

    /** The feature with this id, or empty for an id the newest header does not define. */
    public static Optional<FeatureId> fromValue(long value) {
        for (FeatureId f : values()) {
            if (f.value == value) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
