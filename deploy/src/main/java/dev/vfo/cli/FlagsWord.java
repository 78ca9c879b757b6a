package dev.vfo.cli;

import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a flags word from the command line the one way core parses it
 * ({@link MigrationFlags#parse}): names joined by {@code ,} or {@code |}, a decimal number, or a
 * {@code 0x} hex number. A bad word is a usage error (exit 2) with core's message.
 */
final class FlagsWord implements ITypeConverter<MigrationFlags> {

    @Override
    public MigrationFlags convert(String value) {
        try {
            return MigrationFlags.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * For options that need a device vfo can act on: the word must read as one of the four
     * defined combinations, otherwise the request is refused with core's reason (which flag is
     * missing, which bits are undefined).
     */
    static final class Defined implements ITypeConverter<MigrationCapability> {
        @Override
        public MigrationCapability convert(String value) {
            FlagsReading reading = new FlagsWord().convert(value).read();
            if (reading instanceof FlagsReading.Undefined) {
                throw new TypeConversionException(((FlagsReading.Undefined) reading).reason());
            }
            return ((FlagsReading.Defined) reading).capability();
        }
    }
}
