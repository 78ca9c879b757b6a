package dev.vfo.agent.loop;

import dev.vfo.agent.device.ArcResult;
import dev.vfo.agent.device.Outcome;
import dev.vfo.agent.device.VfioDevice;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.util.concurrent.atomic.AtomicInteger;

/** A device that counts the SETs and resets it was asked for: proof that a command ran, or did not. */
final class CountingDevice implements VfioDevice {
    private final VfioDevice device;
    final AtomicInteger sets = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();

    CountingDevice(VfioDevice device) {
        this.device = device;
    }

    VfioDevice inner() {
        return device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public Outcome<MigrationFlags> migrationFlags() {
        return device.migrationFlags();
    }

    @Override
    public Outcome<MigrationState> state() {
        return device.state();
    }

    @Override
    public ArcResult setState(Arc arc) {
        sets.incrementAndGet();
        return device.setState(arc);
    }

    @Override
    public Outcome<Long> stopCopySize() {
        return device.stopCopySize();
    }

    @Override
    public Outcome<MigrationState> reset() {
        resets.incrementAndGet();
        return device.reset();
    }

    @Override
    public void close() {
        device.close();
    }
}
