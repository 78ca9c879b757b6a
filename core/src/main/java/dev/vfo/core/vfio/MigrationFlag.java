package dev.vfo.core.vfio;

/**
 * One bit of {@code struct vfio_device_feature_migration.flags}. The bits are read one at a time,
 * never by comparing the whole word (see {@link MigrationFlags}).
 */
public enum MigrationFlag {
    /** STOP, STOP_COPY and RESUMING exist: the base of migration support. */
    STOP_COPY(1L),
    /** RUNNING_P2P exists (on top of STOP_COPY). */
    P2P(1L << 1),
    /** PRE_COPY exists (on top of STOP_COPY); with P2P also PRE_COPY_P2P. */
    PRE_COPY(1L << 2);

    /** Every bit the newest uAPI defines. Any other bit is one nobody has defined yet. */
    public static final long DEFINED_BITS = 0b111L;

    private final long bit;

    MigrationFlag(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }

    /** The kernel's macro name, e.g. {@code VFIO_MIGRATION_P2P}. */
    public String kernelName() {
        return "VFIO_MIGRATION_" + name();
    }
}
