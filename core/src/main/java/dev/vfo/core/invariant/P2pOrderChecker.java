package dev.vfo.core.invariant;

import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the two P2P-order rules over a stream of observations, one at a time, holding only the
 * current state of each instance's devices. Within a running instance: no device enters STOP or
 * STOP_COPY while a peer can still initiate P2P DMA (RUNNING, PRE_COPY), and no device enters
 * RUNNING or PRE_COPY while a peer is halted (STOP, STOP_COPY, RESUMING), where its DMA would be
 * lost. An instance that runs no guest (a destination before the commit point, a source after
 * it) is only tracked. Not thread-safe; one checker per stream.
 */
public final class P2pOrderChecker {

    private record Instance(VmId vm, HostId host) {}

    private final Map<Instance, Map<DeviceId, MigrationState>> devices = new HashMap<>();
    private final Set<Instance> running = new HashSet<>();

    /** The violations this observation causes (usually none). */
    public List<Violation> observe(Observed o) {
        Objects.requireNonNull(o);
        Instance inst = new Instance(o.vm(), o.host());
        switch (o.kind()) {
            case INSTANCE_ROLE: {
                if (((Observed.InstanceRole) o).running()) {
                    running.add(inst);
                } else {
                    running.remove(inst);
                }
                return List.of();
            }
            case DEVICE_STATE: {
                Observed.DeviceState d = (Observed.DeviceState) o;
                Map<DeviceId, MigrationState> states = devices.computeIfAbsent(inst, k -> new TreeMap<>());
                MigrationState before = states.put(d.device(), d.state());
                if (before == d.state() || !running.contains(inst)) {
                    return List.of();
                }
                return check(d, states);
            }
        }
        throw new IllegalStateException("unhandled observation " + o.kind());
    }

    private static List<Violation> check(Observed.DeviceState d, Map<DeviceId, MigrationState> states) {
        List<Violation> out = new ArrayList<>(0);
        boolean stopping = d.state() == MigrationState.STOP || d.state() == MigrationState.STOP_COPY;
        boolean starting = d.state().mayInitiateP2p();
        for (Map.Entry<DeviceId, MigrationState> peer : states.entrySet()) {
            if (peer.getKey().equals(d.device())) {
                continue;
            }
            if (stopping && peer.getValue().mayInitiateP2p()) {
                out.add(new Violation(Rule.STOP_BEFORE_PEERS_QUIESCED, d.vm(), d.position(), "device " + d.device()
                        + " on " + d.host() + " entered " + d.state() + " while peer " + peer.getKey() + " is in "
                        + peer.getValue() + " and may still initiate P2P DMA"));
            }
            if (starting && peer.getValue().isHalted()) {
                out.add(new Violation(Rule.RUN_WHILE_PEER_HALTED, d.vm(), d.position(), "device " + d.device() + " on "
                        + d.host() + " entered " + d.state() + " while peer " + peer.getKey() + " is halted in "
                        + peer.getValue()));
            }
        }
        return out;
    }

    /** The last observed state of every device of the instance. */
    public Map<DeviceId, MigrationState> states(VmId vm, HostId host) {
        return Map.copyOf(devices.getOrDefault(new Instance(vm, host), Map.of()));
    }

    public boolean running(VmId vm, HostId host) {
        return running.contains(new Instance(vm, host));
    }
}
