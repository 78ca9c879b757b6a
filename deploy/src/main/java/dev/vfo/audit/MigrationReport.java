package dev.vfo.audit;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One migration as the log tells it: the verdict, and the timeline a person reads to see where
 * the time went (one lane per device with its states, the phases, the barriers, bytes moved).
 *
 * @param end when it ended (empty while in flight or stuck)
 * @param last the latest instant the log shows for it (the timeline's right edge)
 * @param violations how many violations the audit attributed to it
 * @param truncated true when the timeline kept only its first events (memory stays bounded)
 */
public record MigrationReport(MigrationId migration, VmId vm, HostId source, HostId destination, Outcome outcome,
        String reason, Instant start, Optional<Instant> end, Instant last, List<Lane> lanes, List<Mark> phases,
        List<Mark> barriers, int violations, boolean truncated) {

    public MigrationReport {
        Objects.requireNonNull(migration);
        Objects.requireNonNull(vm);
        Objects.requireNonNull(source);
        Objects.requireNonNull(destination);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        Objects.requireNonNull(last);
        lanes = List.copyOf(lanes);
        phases = List.copyOf(phases);
        barriers = List.copyOf(barriers);
    }

    /** One device's lane: its state from each band's start until the next band (or the timeline's end). */
    public record Lane(DeviceId device, HostId host, boolean source, List<Band> bands, long bytes) {
        public Lane {
            Objects.requireNonNull(device);
            Objects.requireNonNull(host);
            bands = List.copyOf(bands);
        }
    }

    public record Band(Instant from, MigrationState state) {
        public Band {
            Objects.requireNonNull(from);
            Objects.requireNonNull(state);
        }
    }

    /** A phase entered or a barrier reached, by name, at an instant. */
    public record Mark(String name, Instant at) {
        public Mark {
            Objects.requireNonNull(name);
            Objects.requireNonNull(at);
        }
    }

    /** The verdict holds: no violation attributed, and it is not stuck. */
    public boolean ok() {
        return violations == 0 && outcome != Outcome.STUCK;
    }

    /**
     * The guest's downtime: from the source quiesce barrier (no source device initiates DMA any
     * more; the stop follows) until every destination device runs, or until the source runs
     * again after a rollback. Empty when the migration never quiesced or never ran again.
     */
    public Optional<Duration> downtime() {
        Optional<Instant> from = barrier("SOURCE_QUIESCED");
        Optional<Instant> to = barrier("DESTINATION_RUNNING").or(() -> barrier("SOURCE_RUNNING"));
        if (from.isEmpty() || to.isEmpty() || to.get().isBefore(from.get())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(from.get(), to.get()));
    }

    public Optional<Instant> barrier(String name) {
        return barriers.stream().filter(b -> b.name().equals(name)).map(Mark::at).findFirst();
    }

    public Duration duration() {
        return Duration.between(start, end.orElse(last));
    }

    public long bytes() {
        return lanes.stream().filter(Lane::source).mapToLong(Lane::bytes).sum();
    }
}
