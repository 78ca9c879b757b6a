package dev.vfo.core.vfio.abi;

import java.util.HexFormat;

/**
 * Bytes that are not a valid encoding of a uAPI struct: the wrong length, or a field value the uAPI
 * does not define. Carries the struct's kernel name and a copy of the bytes, so a caller can log or
 * dead-letter exactly what the kernel (or a peer) handed over.
 */
public final class StructDecodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String struct;
    private final byte[] bytes;

    public StructDecodeException(String struct, byte[] bytes, String problem) {
        super("cannot decode struct " + struct + " from " + bytes.length + " byte(s) ["
                + HexFormat.of().formatHex(bytes) + "]: " + problem);
        this.struct = struct;
        this.bytes = bytes.clone();
    }

    /** The kernel's struct name, e.g. {@code vfio_precopy_info}. */
    public String struct() {
        return struct;
    }

    /** The bytes that did not decode. */
    public byte[] bytes() {
        return bytes.clone();
    }
}
