/**
 * The device port: what the host agent may do to one VFIO migration device, and the walk that
 * takes a device to a target state one kernel arc at a time.
 *
 * <p>Contract: {@link dev.vfo.agent.device.VfioDevice} is one kernel operation per call, with
 * expected kernel failures as typed values ({@link dev.vfo.agent.device.Outcome},
 * {@link dev.vfo.agent.device.ArcResult}, {@link dev.vfo.agent.device.ReadResult}) carrying the
 * errno, never exceptions; state changes are asked only as {@link dev.vfo.core.vfio.Arc}s, so a
 * backend is never asked for a request the kernel would refuse or hang on; a failed arc carries
 * the state a GET read back, never the requested one the kernel echoes. Data sessions count and
 * SHA-256 the bytes they move and fail with ENODEV once the device ended them.
 * {@link dev.vfo.agent.device.DeviceStepper} is what the agent's command loop calls: it plans with
 * {@link dev.vfo.core.vfio.MigrationFsm}, refuses undefined flag combinations with the reason, and
 * reports every completed arc before sending the next.
 */
package dev.vfo.agent.device;
