package dev.vfo.core.vfio.abi;

import dev.vfo.core.vfio.Arc;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * The whole buffer passed to {@code ioctl(fd, VFIO_DEVICE_FEATURE, buf)}: a {@link FeatureHeader}
 * whose {@code argsz} is always header plus payload, followed by the payload. The kernel writes a
 * GET's answer (and a SET's echo with the new data fd) into the same buffer, so the same type
 * decodes the answer ({@link #decode(byte[])}, then {@link #migState()} and friends).
 *
 * <p>Every request passes the checks the kernel makes on the flags word before it looks at the
 * feature (see {@link FeatureFlags#kernelRefusal(long)}); the builders make exactly the requests of
 * the migration path, and a MIG_DEVICE_STATE SET only from an {@link Arc}.
 */
public final class FeatureRequest {
    private final FeatureHeader header;
    private final byte[] payload;

    private FeatureRequest(long flags, byte[] payload) {
        FeatureFlags.kernelRefusal(flags).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        this.header = new FeatureHeader(FeatureHeader.SIZE + (long) payload.length, flags);
        this.payload = payload.clone();
    }

    /** MIGRATION GET: {@code argsz}=16, {@code flags}=0x10001; the answer is a {@link MigrationFeature}. */
    public static FeatureRequest migrationGet() {
        return get(FeatureId.MIGRATION, MigrationFeature.SIZE);
    }

    /** MIG_DEVICE_STATE GET: {@code argsz}=16, {@code flags}=0x10002; the answer is a {@link MigStateFeature}. */
    public static FeatureRequest migStateGet() {
        return get(FeatureId.MIG_DEVICE_STATE, MigStateFeature.SIZE);
    }

    /**
     * MIG_DEVICE_STATE SET of one arc's target: {@code argsz}=16, {@code flags}=0x20002. Taking an
     * {@link Arc} (which only {@link dev.vfo.core.vfio.MigrationFsm} makes) keeps this builder from
     * ever asking for a state the kernel would refuse or, before the 2026 fix, hang on.
     */
    public static FeatureRequest migStateSet(Arc arc) {
        MigStateFeature p = MigStateFeature.request(arc.to());
        return new FeatureRequest(FeatureFlags.word(p.feature(), FeatureFlags.SET), p.encode());
    }

    /** MIG_DATA_SIZE GET: {@code argsz}=16, {@code flags}=0x10009; the answer is a {@link MigDataSizeFeature}. */
    public static FeatureRequest migDataSizeGet() {
        return get(FeatureId.MIG_DATA_SIZE, MigDataSizeFeature.SIZE);
    }

    /**
     * PROBE for a feature, optionally with the operations to check ({@code PROBE|SET} of
     * MIG_DEVICE_STATE is 0x60002). The kernel needs no payload for a probe: {@code argsz}=8.
     */
    public static FeatureRequest probe(FeatureId feature, FeatureFlags... operations) {
        FeatureFlags[] ops = Arrays.copyOf(operations, operations.length + 1);
        ops[operations.length] = FeatureFlags.PROBE;
        return new FeatureRequest(FeatureFlags.word(feature, ops), new byte[0]);
    }

    private static FeatureRequest get(FeatureId feature, int payloadSize) {
        return new FeatureRequest(FeatureFlags.word(feature, FeatureFlags.GET), new byte[payloadSize]);
    }

    public FeatureHeader header() {
        return header;
    }

    /** A copy of {@code data[]}. */
    public byte[] payload() {
        return payload.clone();
    }

    /** Header then payload: the exact buffer for the ioctl, {@code argsz} bytes long. */
    public byte[] encode() {
        return ByteBuffer.allocate(FeatureHeader.SIZE + payload.length)
                .put(header.encode()).put(payload).array();
    }

    /**
     * Reads a request or the kernel's answer in the same buffer: at least the header, exactly
     * {@code argsz} bytes in all (the kernel never changes {@code argsz}), and a flags word the
     * kernel accepts.
     */
    public static FeatureRequest decode(byte[] bytes) {
        if (bytes.length < FeatureHeader.SIZE) {
            throw new StructDecodeException(FeatureHeader.STRUCT, bytes, "too short: the header alone is "
                    + FeatureHeader.SIZE + " bytes");
        }
        FeatureHeader h = FeatureHeader.decode(Arrays.copyOf(bytes, FeatureHeader.SIZE));
        if (h.argsz() != bytes.length) {
            throw new StructDecodeException(FeatureHeader.STRUCT, bytes, "argsz " + h.argsz()
                    + " does not match the " + bytes.length + " bytes given");
        }
        try {
            return new FeatureRequest(h.flags(), Arrays.copyOfRange(bytes, FeatureHeader.SIZE, bytes.length));
        } catch (IllegalArgumentException e) {
            throw new StructDecodeException(FeatureHeader.STRUCT, bytes, e.getMessage());
        }
    }

    /** The MIGRATION answer in the payload. */
    public MigrationFeature migration() {
        return payloadOf(FeatureId.MIGRATION, MigrationFeature::decode);
    }

    /** The MIG_DEVICE_STATE payload (a GET's answer, or a SET's echo with the new data fd). */
    public MigStateFeature migState() {
        return payloadOf(FeatureId.MIG_DEVICE_STATE, MigStateFeature::decode);
    }

    /** The MIG_DATA_SIZE answer in the payload. */
    public MigDataSizeFeature migDataSize() {
        return payloadOf(FeatureId.MIG_DATA_SIZE, MigDataSizeFeature::decode);
    }

    private <T extends FeaturePayload> T payloadOf(FeatureId expected, Function<byte[], T> decoder) {
        if (header.feature().orElse(null) != expected) {
            throw new IllegalStateException("this request is for feature " + (header.flags() & FeatureFlags.MASK)
                    + ", not " + expected.kernelName() + " (" + expected.value() + ")");
        }
        return decoder.apply(payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRequest r && r.header.equals(header) && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return header + " data=[" + HexFormat.of().formatHex(payload) + "]";
    }
}
