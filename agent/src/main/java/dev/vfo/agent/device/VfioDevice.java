package dev.vfo.agent.device;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;

/**
 * The device port: what the agent may do to one VFIO device, one kernel operation per call. A
 * backend (the simulated device, or the kernel through JNA) implements it.
 *
 * <p>Contract for every backend:
 * <ul>
 *   <li>Expected failures are {@link Outcome.Failed} / {@link ArcResult.Failed} with the errno
 *       the uAPI gives in that situation, never exceptions.</li>
 *   <li>{@link #setState(Arc)} performs exactly one arc. It refuses ({@link ArcResult.NotSent})
 *       an arc that does not start at the device's current state or was planned for other flags,
 *       because the kernel would then walk a path of its own choosing. Only
 *       {@link dev.vfo.core.vfio.MigrationFsm} makes arcs, so the blocked requests
 *       (STOP_COPY&gt;PRE_COPY*) that hang pre-fix kernels cannot be asked for.</li>
 *   <li>After a failed arc the result carries the state read back with a GET, never the
 *       requested state the kernel echoes.</li>
 *   <li>{@link #reset()} returns the device to RUNNING and ends any data session.</li>
 * </ul>
 * Calls on one device are serialized by the backend (the kernel holds the device's state mutex).
 */
public interface VfioDevice extends AutoCloseable {

    /** How the device is known on its host (PCI address, or a simulated device's id). */
    String name();

    /** VFIO_DEVICE_FEATURE GET MIGRATION: the raw flags word; ENOTTY without migration support. */
    Outcome<MigrationFlags> migrationFlags();

    /** VFIO_DEVICE_FEATURE GET MIG_DEVICE_STATE. */
    Outcome<MigrationState> state();

    /** VFIO_DEVICE_FEATURE SET MIG_DEVICE_STATE to {@code arc.to()}, for a device at {@code arc.from()}. */
    ArcResult setState(Arc arc);

    /** VFIO_DEVICE_FEATURE GET MIG_DATA_SIZE: the driver's estimate of the STOP_COPY stream length. */
    Outcome<Long> stopCopySize();

    /** VFIO_DEVICE_RESET, then a GET: the state after the reset (RUNNING). */
    Outcome<MigrationState> reset();

    /** Releases the device (and with it any data session). */
    @Override
    void close();
}
