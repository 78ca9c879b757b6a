package dev.vfo.core.vfio;

import java.util.Optional;

/** The Linux errno values the VFIO migration uAPI returns (x86-64/arm64 generic numbering). */
public enum Errno {
    EIO(5),
    E2BIG(7),
    ENOMEM(12),
    EFAULT(14),
    EBUSY(16),
    ENODEV(19),
    EINVAL(22),
    ENOTTY(25),
    ESPIPE(29),
    ENOMSG(42),
    EOVERFLOW(75),
    ENOTCONN(107),
    ETIMEDOUT(110);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<Errno> fromValue(int value) {
        for (Errno e : values()) {
            if (e.value == value) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** {@code EINVAL(22)}, or {@code errno 123} for a value this enum does not name. */
    public static String describe(int value) {
        return fromValue(value).map(e -> e.name() + "(" + value + ")").orElse("errno " + value);
    }
}
