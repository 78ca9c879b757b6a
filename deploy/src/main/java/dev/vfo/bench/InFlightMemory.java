package dev.vfo.bench;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 6, memory: retained heap per in-flight migration. Builds N VMs of 8 device pairs with the
 * real decider, stops each inside the quiesce barrier (half its source devices at RUNNING_P2P),
 * keeps only their {@link SagaState}s (what the coordinator holds per VM) and measures the heap
 * after full GCs, before and after. The same for N VMs with the devices registered and nothing in
 * flight: the difference is what a migration adds to a VM's state.
 *
 * <p>Measured with MemoryMXBean after {@code System.gc()} (a full collection with G1 unless
 * explicit GCs are disabled); N is large enough that the JVM's own noise (tens of KiB) is small per VM.
 */
public final class InFlightMemory implements Scenario {

    static final int DEVICES = 8;
    static final double TARGET_BYTES = 4096;

    @Override
    public String section() {
        return "6";
    }

    @Override
    public boolean needsKafka() {
        return false;
    }

    @Override
    public String title() {
        return "Heap per in-flight migration";
    }

    @Override
    public List<Row> run(BenchContext context) {
        int n = context.budget().inFlightVms();
        context.say("memory: " + n + " VMs x " + DEVICES + " device pairs, mid-QUIESCE");
        long idle = bytesPerVm(n, false);
        long inFlight = bytesPerVm(n, true);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("bytes_per_vm_in_flight", (double) inFlight);
        v.put("bytes_per_vm_idle", (double) idle);
        v.put("bytes_per_migration", (double) (inFlight - idle));
        v.put("vms", (double) n);
        String note = "SagaState of a VM with " + DEVICES + " source + " + DEVICES + " destination devices registered;"
                + " in flight = mid-QUIESCE via the real decider. bytes_per_migration = in flight - idle (the"
                + " ActiveMigration: plan, steps, transfers); the whole VM state is bytes_per_vm_in_flight";
        return List.of(Row.measured(section(), "memory per in-flight migration (" + DEVICES + " devices)", v, note)
                .against(Row.Target.atMost("bytes_per_migration", TARGET_BYTES, "<= 4 KiB per in-flight migration")));
    }

    private static long bytesPerVm(int n, boolean inFlight) {
        SagaState[] held = new SagaState[n];
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            held[i] = build("vm-" + (inFlight ? "m" : "i") + i, inFlight);
        }
        long after = usedAfterGc();
        long perVm = (after - before) / n;
        // Keeps the states reachable until after the measurement.
        if (held[n - 1] == null) {
            throw new IllegalStateException();
        }
        return perVm;
    }

    static SagaState build(String name, boolean inFlight) {
        InstantAgents vm = new InstantAgents(name, DEVICES);
        if (!inFlight) {
            return vm.state();
        }
        vm.start();
        vm.answerUntil(a -> a.phase().orElse(null) == Phase.QUIESCE);
        int answered = 0;
        for (AgentCommand c : vm.pending()) {
            if (answered < DEVICES / 2 && c instanceof AgentCommand.TransitionDevice
                    && ((AgentCommand.TransitionDevice) c).target() == MigrationState.RUNNING_P2P) {
                vm.answerNow(c);
                answered++;
            }
        }
        if (vm.phase().orElse(null) != Phase.QUIESCE) {
            throw new IllegalStateException(name + " left QUIESCE: " + vm.phase());
        }
        return vm.state();
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several rounds: finalizers, soft references and G1's humongous regions settle over a few GCs.
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
