package dev.vfo.audit;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.VmId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** One broken rule: the rule, the VM and device when known, the records that show it, and what happened. */
public record AuditViolation(AuditRule rule, Optional<VmId> vm, Optional<DeviceId> device, List<RecordRef> records,
        String message) {
    public AuditViolation {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(vm);
        Objects.requireNonNull(device);
        records = List.copyOf(records);
        Objects.requireNonNull(message);
    }

    @Override
    public String toString() {
        return rule + vm.map(v -> " vm=" + v).orElse("") + device.map(d -> " device=" + d).orElse("") + " at "
                + records.stream().map(RecordRef::toString).collect(Collectors.joining(", ")) + ": " + message;
    }
}
