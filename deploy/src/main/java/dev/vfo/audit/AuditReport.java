package dev.vfo.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an audit found: how much it read, the dead letters it saw, a verdict per migration, every
 * violation and every quarantined record (undecodable, and dead-lettered as it must be: no
 * violation); of each list the first {@value AuditEngine#KEPT_VIOLATIONS} kept in full, all counted.
 *
 * @param replayed whether decisions were re-derived (only when the log is read from its start)
 */
public record AuditReport(Map<String, Long> recordsPerTopic, long deadLetters, int vms, int devices,
        long chainEntries, List<MigrationReport> migrations, List<AuditViolation> violations, long violationCount,
        boolean replayed, Instant auditedAt, List<QuarantinedRecord> quarantined, long quarantinedCount) {

    public AuditReport {
        recordsPerTopic = Map.copyOf(recordsPerTopic);
        quarantined = List.copyOf(quarantined);
        migrations = List.copyOf(migrations);
        violations = List.copyOf(violations);
        Objects.requireNonNull(auditedAt);
    }

    /** Everything holds: exit code 0. */
    public boolean ok() {
        return violationCount == 0;
    }

    public long records() {
        return recordsPerTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
