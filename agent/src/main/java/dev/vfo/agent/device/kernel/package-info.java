/**
 * The kernel device backend: a {@link dev.vfo.agent.device.VfioDevice} over the Linux VFIO
 * migration uAPI, with sysfs discovery and the two ways of opening a device (iommufd cdev, legacy
 * container and group).
 *
 * <p>Contract: every native call goes through {@link dev.vfo.agent.device.kernel.VfioSyscalls}
 * and returns its errno as a value; struct bytes come from {@code dev.vfo.core.vfio.abi} (the
 * opening structs not covered there are encoded in the openers). The backend sends a
 * MIG_DEVICE_STATE SET only for an arc that starts at the state a GET just returned, reads the
 * state back after every failed SET (the kernel echoes the requested one), never passes a closed
 * fd to the kernel again, and reads a 0-byte read in PRE_COPY as the temporary end (as drivers
 * like mtty return it) and only in STOP_COPY as the end of the stream. Openers close every fd
 * they opened when a later step fails.
 */
package dev.vfo.agent.device.kernel;
