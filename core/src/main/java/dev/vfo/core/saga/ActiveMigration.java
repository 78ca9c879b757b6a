package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one migration in flight for the VM. Maps are sorted so that iteration, and with it every
 * decision, is deterministic.
 *
 * @param steps the command each device (source or destination) is working on
 * @param transfers device-state streams, keyed by source device
 * @param preCopy pre-copy readings, keyed by source device
 * @param fault the first failure seen before the saga acted on it (rollback before the commit
 *     point, failure after it); cleared by nothing: the rollback records it as its reason
 * @param rollbackReason present once a rollback started
 */
public record ActiveMigration(MigrationPlan plan, Phase phase, Instant phaseEnteredAt, SortedMap<DeviceId, Step> steps,
        SortedMap<DeviceId, Transfer> transfers, SortedMap<DeviceId, PreCopyStats> preCopy, Optional<String> fault,
        Optional<String> rollbackReason) {

    public ActiveMigration {
        steps = sorted(steps);
        transfers = sorted(transfers);
        preCopy = sorted(preCopy);
    }

    static ActiveMigration start(MigrationPlan plan) {
        return new ActiveMigration(plan, Phase.PREPARE_DESTINATION, plan.acceptedAt(), new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(), Optional.empty(), Optional.empty());
    }

    private static <V> SortedMap<DeviceId, V> sorted(Map<DeviceId, V> m) {
        return Frozen.sorted(m);
    }

    ActiveMigration withPhase(Phase p, Instant at, SortedMap<DeviceId, Step> newSteps,
            SortedMap<DeviceId, Transfer> newTransfers) {
        return new ActiveMigration(plan, p, at, newSteps, newTransfers, preCopy, fault, rollbackReason);
    }

    ActiveMigration withStep(DeviceId d, Step s) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, Frozen.with(steps, d, s), transfers, preCopy, fault,
                rollbackReason);
    }

    ActiveMigration withSteps(SortedMap<DeviceId, Step> newSteps) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, newSteps, transfers, preCopy, fault, rollbackReason);
    }

    ActiveMigration withTransfer(DeviceId source, Transfer t) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, Frozen.with(transfers, source, t), preCopy, fault,
                rollbackReason);
    }

    ActiveMigration withTransfers(SortedMap<DeviceId, Transfer> newTransfers) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, newTransfers, preCopy, fault, rollbackReason);
    }

    ActiveMigration withPreCopy(DeviceId source, PreCopyStats stats) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, transfers, Frozen.with(preCopy, source, stats), fault,
                rollbackReason);
    }

    /** Keeps the first fault: it is the cause; later ones are consequences. */
    ActiveMigration withFault(String reason) {
        if (fault.isPresent() || rollbackReason.isPresent()) {
            return this;
        }
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, transfers, preCopy, Optional.of(reason),
                rollbackReason);
    }

    ActiveMigration rollingBack(String reason) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, transfers, preCopy, fault, Optional.of(reason));
    }

    Step step(DeviceId d) {
        return steps.get(d);
    }

    Transfer transfer(DeviceId source) {
        return transfers.getOrDefault(source, Transfer.NONE);
    }

    // Loops, not streams: the saga asks these for every event it observes.
    Optional<DevicePlan> bySource(DeviceId d) {
        for (DevicePlan p : plan.devices()) {
            if (p.source().equals(d)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    Optional<DevicePlan> byDestination(DeviceId d) {
        for (DevicePlan p : plan.devices()) {
            if (p.destination().equals(d)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    boolean involves(DeviceId d) {
        return bySource(d).isPresent() || byDestination(d).isPresent();
    }
}
