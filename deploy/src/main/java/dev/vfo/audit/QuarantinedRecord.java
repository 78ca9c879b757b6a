package dev.vfo.audit;

import dev.vfo.core.protocol.VmId;
import java.util.Objects;
import java.util.Optional;

/**
 * An undecodable record of an audited topic that the product handled as it must: a consumer put it,
 * byte for byte, into the dead-letter topic with its origin. Listed in the report, not a violation.
 *
 * @param record where the undecodable record sits
 * @param letter the dead letter that claims it
 * @param reason what the product said when it set the record aside (the letter's reason and detail)
 * @param finding why the audit could not decode it either
 */
public record QuarantinedRecord(RecordRef record, RecordRef letter, Optional<VmId> vm, String reason,
        String finding) {
    public QuarantinedRecord {
        Objects.requireNonNull(record);
        Objects.requireNonNull(letter);
        Objects.requireNonNull(vm);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(finding);
    }

    @Override
    public String toString() {
        return record + vm.map(v -> " vm=" + v).orElse("") + " dead-lettered at " + letter + " (" + reason
                + "); audit: " + finding;
    }
}
