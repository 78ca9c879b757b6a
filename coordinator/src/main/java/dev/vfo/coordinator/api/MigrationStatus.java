package dev.vfo.coordinator.api;

/** Where a migration stands as a whole; the saga's finer phase is {@link MigrationView#phase()}. */
public enum MigrationStatus {
    /** The saga is driving it; the VM may not start another migration. */
    ACTIVE,
    /** The VM runs on the destination. */
    SUCCEEDED,
    /** Cancelled or aborted before the commit point: the VM runs on the source again. */
    ROLLED_BACK,
    /** Neither side could be brought back to running; an operator must look. */
    FAILED;

    public boolean ended() {
        return this != ACTIVE;
    }
}
