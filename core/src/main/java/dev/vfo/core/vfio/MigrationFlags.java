package dev.vfo.core.vfio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A raw {@code vfio_device_feature_migration.flags} word (u64), exactly as the device reported
 * it. Nothing is masked off: unknown bits are kept so they can be named and refused.
 *
 * <p>It is read the way the kernel list settled it (see the seed thread in the project's
 * references): test bits, never equality; STOP_COPY is the flag that provides migration (STOP,
 * STOP_COPY, RESUMING), P2P and PRE_COPY only add states on top of it, and only the four
 * combinations the header documents mean anything. {@link #read()} turns the word into a
 * {@link FlagsReading}.
 */
public record MigrationFlags(long raw) {

    public static final MigrationFlags NONE = new MigrationFlags(0);

    public boolean has(MigrationFlag flag) {
        return (raw & flag.bit()) != 0;
    }

    /** Bits no uAPI version defines. */
    public long undefinedBits() {
        return raw & ~MigrationFlag.DEFINED_BITS;
    }

    /** Classifies the word: a defined combination, or an undefined one with the reason. */
    public FlagsReading read() {
        List<String> problems = new ArrayList<>();
        if (!has(MigrationFlag.STOP_COPY)) {
            problems.add("VFIO_MIGRATION_STOP_COPY is not set, and it is the only flag that provides"
                    + " migration (STOP, STOP_COPY, RESUMING)"
                    + (has(MigrationFlag.P2P) || has(MigrationFlag.PRE_COPY)
                            ? "; " + definedNames() + " only add states on top of it"
                            : ""));
        }
        if (undefinedBits() != 0) {
            problems.add("undefined bit(s) " + bitList(undefinedBits())
                    + " (" + hex(undefinedBits()) + ") have no meaning in the uAPI and are not ignored");
        }
        if (problems.isEmpty()) {
            return new FlagsReading.Defined(MigrationCapability.ofBits(raw).orElseThrow());
        }
        return new FlagsReading.Undefined(this, "flags " + hex(raw) + " (" + describe()
                + ") are an undefined combination: " + String.join("; ", problems)
                + ". The device is not migratable.");
    }

    /** Names of the set bits in the order STOP_COPY|P2P|PRE_COPY, then unknown bits as {@code bitN}. */
    public String describe() {
        if (raw == 0) {
            return "none";
        }
        StringJoiner j = new StringJoiner("|");
        for (MigrationFlag f : MigrationFlag.values()) {
            if (has(f)) {
                j.add(f.name());
            }
        }
        long unknown = undefinedBits();
        for (int b = 0; b < 64; b++) {
            if ((unknown & (1L << b)) != 0) {
                j.add("bit" + b);
            }
        }
        return j.toString();
    }

    private String definedNames() {
        StringJoiner j = new StringJoiner(" and ");
        if (has(MigrationFlag.P2P)) {
            j.add("P2P");
        }
        if (has(MigrationFlag.PRE_COPY)) {
            j.add("PRE_COPY");
        }
        return j.toString();
    }

    private static String bitList(long bits) {
        StringJoiner j = new StringJoiner(", ");
        for (int b = 0; b < 64; b++) {
            if ((bits & (1L << b)) != 0) {
                j.add("bit " + b);
            }
        }
        return j.toString();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * Parses a flags word written as a decimal number, a {@code 0x} hex number, or flag names
     * joined by {@code ,} or {@code |} (e.g. {@code STOP_COPY,P2P}).
     *
     * @throws IllegalArgumentException naming the part that is neither a number nor a flag name
     */
    public static MigrationFlags parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty flags value");
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return new MigrationFlags(Long.parseUnsignedLong(t.substring(2), 16));
            }
            if (Character.isDigit(t.charAt(0))) {
                return new MigrationFlags(Long.parseUnsignedLong(t));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a u64 number", e);
        }
        long bits = 0;
        for (String part : t.split("[,|]")) {
            String name = part.strip().toUpperCase(Locale.ROOT).replaceFirst("^VFIO_MIGRATION_", "");
            try {
                bits |= MigrationFlag.valueOf(name).bit();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a migration flag"
                        + " (expected STOP_COPY, P2P or PRE_COPY, or a number)", e);
            }
        }
        return new MigrationFlags(bits);
    }

    @Override
    public String toString() {
        return hex(raw) + "(" + describe() + ")";
    }
}
