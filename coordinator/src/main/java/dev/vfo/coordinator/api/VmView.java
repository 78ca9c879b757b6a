package dev.vfo.coordinator.api;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One VM: its devices, the migration running now (if any) and its past migrations, newest first. */
public record VmView(VmId id, Optional<MigrationId> activeMigration, List<DeviceView> devices,
        List<MigrationView> migrations) {
    public VmView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(activeMigration, "activeMigration");
        devices = List.copyOf(devices);
        migrations = List.copyOf(migrations);
    }
}
