package dev.vfo.core.vfio;

/**
 * What a raw migration flags word means to vfo: one of the four defined combinations, or an
 * undefined one that vfo refuses to act on, with the reason.
 */
public sealed interface FlagsReading permits FlagsReading.Defined, FlagsReading.Undefined {

    MigrationFlags flags();

    /** A combination the uAPI documents: the device is migratable with these states. */
    record Defined(MigrationCapability capability) implements FlagsReading {
        public Defined {
            java.util.Objects.requireNonNull(capability, "capability");
        }

        @Override
        public MigrationFlags flags() {
            return capability.flags();
        }
    }

    /**
     * A combination whose behaviour the uAPI leaves "to be defined in the future": the device is
     * not migratable. {@code reason} names the bits that make it undefined.
     */
    record Undefined(MigrationFlags flags, String reason) implements FlagsReading {
        public Undefined {
            java.util.Objects.requireNonNull(flags, "flags");
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }
}
