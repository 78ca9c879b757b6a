package dev.vfo.core.sim;

import dev.vfo.core.saga.MigrationPolicy;
import dev.vfo.core.saga.PreCopyTimeoutAction;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a seed decides before the run: the hosts, the VM's devices and their flags, the
 * policy, and how hard the faults hit. Drawn from the seed alone, so a seed is a complete
 * reproduction.
 *
 * @param faultBudget the most faults injected in the run (bounded faults must terminate)
 */
public record Scenario(long seed, int hosts, int sourceHost, int destinationHost, List<DeviceSpec> devices,
        MigrationPolicy policy, int faultBudget, double loss, double duplication, double delay, double arcFailure,
        double slowArc, double corruption, int agentCrashes, int coordinatorCrashes, boolean cancel, long cancelAtMillis,
        boolean converging) {

    public Scenario {
        devices = List.copyOf(devices);
    }

    /**
     * One device pair: the source's and the destination's raw flags (possibly undefined), models,
     * state sizes.
     */
    public record DeviceSpec(long sourceFlags, long destinationFlags, String sourceModel, String destinationModel,
            long initialBytes, long stopCopyBytes) {}

    public static Scenario generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int hosts = 2 + r.nextInt(3);
        int src = r.nextInt(hosts);
        int dst = (src + 1 + r.nextInt(hosts - 1)) % hosts;
        int n = 1 + r.nextInt(8);
        // Most seeds get a migratable VM so the phases are exercised; the rest test refusals.
        boolean valid = r.nextDouble() < 0.85;
        MigrationCapability[] caps = MigrationCapability.values();
        MigrationCapability common = n > 1 ? (r.nextBoolean() ? MigrationCapability.STOP_COPY_P2P
                : MigrationCapability.STOP_COPY_P2P_PRE_COPY) : caps[r.nextInt(caps.length)];
        List<DeviceSpec> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long flags = valid ? (r.nextInt(4) == 0 ? caps[r.nextInt(caps.length)].bits() | MigrationFlag.P2P.bit()
                    : common.bits()) : randomFlags(r);
            long dflags = valid || r.nextBoolean() ? flags : randomFlags(r);
            String model = "15b3:101e";
            String dmodel = valid || r.nextInt(4) != 0 ? model : "10de:2331";
            long initial = (1L + r.nextInt(64)) << 20;
            long stopCopy = (1L + r.nextInt(16)) << 20;
            devices.add(new DeviceSpec(flags, dflags, model, dmodel, initial, stopCopy));
        }
        if (n == 1 && valid) {
            long f = common.bits();
            devices.set(0, new DeviceSpec(f, f, "15b3:101e", "15b3:101e", devices.get(0).initialBytes(),
                    devices.get(0).stopCopyBytes()));
        }
        MigrationPolicy policy = new MigrationPolicy(Duration.ofMillis(200), Duration.ofMillis(1500), 3, r.nextInt(5) != 0,
                Duration.ofMillis(1000 + r.nextInt(3000)),
                r.nextBoolean() ? PreCopyTimeoutAction.ABORT : PreCopyTimeoutAction.SWITCH_OVER, 512L << 20,
                Duration.ofMillis(300), Duration.ofSeconds(30));
        int budget = r.nextInt(10);
        double intensity = r.nextDouble();
        return new Scenario(seed, hosts, src, dst, devices, policy, budget, 0.05 * intensity * r.nextDouble(),
                0.05 * intensity * r.nextDouble(), 0.05 * intensity * r.nextDouble(), 0.02 * intensity * r.nextDouble(),
                0.02 * intensity * r.nextDouble(), 0.01 * r.nextDouble(), r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0,
                r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0, r.nextInt(6) == 0, 100 + r.nextInt(3000),
                r.nextInt(5) != 0);
    }

    /** Mostly defined combinations, sometimes an undefined one (no STOP_COPY, or an unknown bit). */
    private static long randomFlags(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> MigrationFlag.P2P.bit();
            case 1 -> MigrationFlag.STOP_COPY.bit() | (1L << (3 + r.nextInt(10)));
            case 2 -> 0L;
            default -> MigrationCapability.values()[r.nextInt(4)].bits();
        };
    }
}
