package dev.vfo.core.saga;

import dev.vfo.core.protocol.DeviceId;
import java.time.Instant;
import java.util.Collections;
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
        TreeMap<DeviceId, Step> m = new TreeMap<>(steps);
        m.put(d, s);
        return new ActiveMigration(plan, phase, phaseEnteredAt, Collections.unmodifiableSortedMap(m), transfers, preCopy,
                fault, rollbackReason);
    }

    ActiveMigration withSteps(SortedMap<DeviceId, Step> newSteps) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, newSteps, transfers, preCopy, fault, rollbackReason);
    }

    ActiveMigration withTransfer(DeviceId source, Transfer t) {
        TreeMap<DeviceId, Transfer> m = new TreeMap<>(transfers);
        m.put(source, t);
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, Collections.unmodifiableSortedMap(m), preCopy,
                fault, rollbackReason);
    }

    ActiveMigration withTransfers(SortedMap<DeviceId, Transfer> newTransfers) {
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, newTransfers, preCopy, fault, rollbackReason);
    }

    ActiveMigration withPreCopy(DeviceId source, PreCopyStats stats) {
        TreeMap<DeviceId, PreCopyStats> m = new TreeMap<>(preCopy);
        m.put(source, stats);
        return new ActiveMigration(plan, phase, phaseEnteredAt, steps, transfers,
                Collections.unmodifiableSortedMap(m), fault, rollbackReason);
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

    Optional<DevicePlan> bySource(DeviceId d) {
        return plan.devices().stream().filter(p -> p.source().equals(d)).findFirst();
    }

    Optional<DevicePlan> byDestination(DeviceId d) {
        return plan.devices().stream().filter(p -> p.destination().equals(d)).findFirst();
    }

    boolean involves(DeviceId d) {
        return bySource(d).isPresent() || byDestination(d).isPresent();
    }
}
