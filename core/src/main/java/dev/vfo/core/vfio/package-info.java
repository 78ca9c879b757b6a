/**
 * An exact model of the Linux VFIO device migration uAPI (protocol v2): the eight states with the
 * kernel's values, the capability flags read bit by bit, the four defined flag combinations, and
 * the kernel's transition function with its EINVAL rules.
 *
 * <p>Contract: everything here is pure and total. Raw input from a device (a flags word, a state
 * value) is classified, never guessed at: an undefined flag combination becomes
 * {@link dev.vfo.core.vfio.FlagsReading.Undefined} with a reason, an undefined state value an
 * empty Optional. Paths are computed only for defined combinations, and the only way to hold a
 * single step is an {@link dev.vfo.core.vfio.Arc} produced by
 * {@link dev.vfo.core.vfio.MigrationFsm}, so callers cannot send requests the kernel would refuse
 * or hang on.
 */
package dev.vfo.core.vfio;
