/**
 * The VFIO migration uAPI as data: ioctl request numbers, the VFIO_DEVICE_FEATURE flag word and
 * feature ids, and the byte layout of the structs the migration path exchanges with the kernel
 * ({@code struct vfio_device_feature} and its migration payloads, {@code struct vfio_precopy_info}).
 *
 * <p>Contract: pure JDK, no native access. Every value here is the kernel's number, checked against
 * the machine's {@code <linux/vfio.h>} by a compiled header probe in the tests; every struct names
 * its {@code SIZE} and field {@code OFFSET_*}s so the probe can compare them with {@code sizeof} and
 * {@code offsetof}. Structs are records with {@code encode()} to the exact little-endian bytes
 * (x86-64 and arm64, the only hosts vfo runs on) and a static {@code decode(byte[])} that accepts
 * exactly {@code SIZE} bytes and otherwise throws {@link dev.vfo.core.vfio.abi.StructDecodeException}
 * naming the struct, the lengths and carrying the bytes, so nothing the kernel returned is lost or
 * guessed at: an undefined {@code device_state} value is an error, not the nearest state.
 *
 * <p>{@link dev.vfo.core.vfio.abi.FeatureRequest} builds a migration state SET only from an
 * {@link dev.vfo.core.vfio.Arc}, so the bytes a backend builds for {@code ioctl(VFIO_DEVICE_FEATURE)}
 * can only ask for a step the kernel's FSM takes by itself (never the STOP_COPY&gt;PRE_COPY
 * requests that hang pre-2026 kernels). Decoding reads any well-formed buffer, including answers.
 * The native call itself lives in the agent's JNA backend.
 */
package dev.vfo.core.vfio.abi;
