package dev.vfo.core.vfio.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operation bits of {@code vfio_device_feature.flags} and the checks the kernel's
 * {@code vfio_ioctl_device_feature()} and {@code vfio_check_feature()} make on the word before any
 * feature handler runs. A request that fails them gets EINVAL from every kernel, so vfo refuses to
 * build it.
 */
public enum FeatureFlags {
    /** {@code VFIO_DEVICE_FEATURE_GET}: the kernel fills {@code data[]}. */
    GET(1L << 16),
    /** {@code VFIO_DEVICE_FEATURE_SET}: the kernel reads {@code data[]}. */
    SET(1L << 17),
    /** {@code VFIO_DEVICE_FEATURE_PROBE}: succeeds iff the feature (and any GET/SET given) is supported; no payload needed. */
    PROBE(1L << 18);

    /** {@code VFIO_DEVICE_FEATURE_MASK}: the low 16 bits hold the {@link FeatureId}. */
    public static final long MASK = 0xffffL;

    /** Every bit the kernel accepts in the flags word. */
    public static final long KNOWN_BITS = MASK | GET.bit | SET.bit | PROBE.bit;

    private final long bit;

    FeatureFlags(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }

    /** The header's macro name, e.g. {@code VFIO_DEVICE_FEATURE_PROBE}. */
    public String kernelName() {
        return "VFIO_DEVICE_FEATURE_" + name();
    }

    /** The flags word for a feature and a set of operations. */
    public static long word(FeatureId feature, FeatureFlags... operations) {
        long word = feature.value();
        for (FeatureFlags op : operations) {
            word |= op.bit;
        }
        return word;
    }

    /**
     * Why the kernel would return EINVAL for this flags word before looking at the feature, or
     * empty if it passes: unknown bits, GET and SET together without PROBE, or no operation at all.
     */
    public static Optional<String> kernelRefusal(long word) {
        List<String> problems = new ArrayList<>();
        long unknown = word & ~KNOWN_BITS;
        if (unknown != 0) {
            problems.add("bits " + StructBytes.hex(unknown) + " are outside MASK|GET|SET|PROBE");
        }
        boolean get = (word & GET.bit) != 0;
        boolean set = (word & SET.bit) != 0;
        boolean probe = (word & PROBE.bit) != 0;
        if (get && set && !probe) {
            problems.add("GET and SET are mutually exclusive except with PROBE");
        }
        if (!get && !set && !probe) {
            problems.add("none of GET, SET or PROBE is set");
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("feature flags " + StructBytes.hex(word) + " are refused by the kernel with EINVAL: "
                + String.join("; ", problems));
    }
}
