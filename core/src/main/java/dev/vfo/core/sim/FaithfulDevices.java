package dev.vfo.core.sim;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.MigrationPolicy;
import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One VM's devices on their hosts, driven by faithful agents whose devices take no time: given a
 * command, {@link #answer} returns, in order, every event the agent of the command's host would
 * report. It is the one model of a well-behaved agent that the saga's tests, the benchmarks and
 * the coordinator's tests share (the simulator builds its events with the same
 * {@link FaithfulDevice} and adds time and faults on top).
 *
 * <p>What "faithful" means here, as the saga expects it:
 * <ul>
 *   <li>a command of an older coordinator epoch than one its host already saw, or past its
 *       deadline, is refused (no event: the coordinator re-issues after its deadline);
 *   <li>each command id is applied at most once; a repeated transition or reset is re-reported as
 *       the device's current state;
 *   <li>a transition walks {@link MigrationFsm}'s path arc by arc, one DeviceStateChanged per arc
 *       with the device's next sequence; a refused one reports TransitionFailed with the errno;
 *   <li>a stream of a source device completes once the device is in STOP_COPY (a pre-copy progress
 *       report while it is still in pre-copy), and the destination reports the same digest once it
 *       accepted the stream and the data arrived, in whichever order the two commands come.
 * </ul>
 *
 * <p>Pure (time is an input) and not thread-safe: callers serialise access per VM.
 */
public final class FaithfulDevices {

    /** An arc a device really took, for "nothing happened twice" checks. */
    public record Applied(DeviceId device, MigrationState from, MigrationState to, CommandId command) {}

    private final VmId vm;
    private final Map<DeviceId, FaithfulDevice> devices = new LinkedHashMap<>();
    private final Map<HostId, Long> newestEpoch = new HashMap<>();
    private final Set<CommandId> applied = new HashSet<>();
    /** Source device -> the stream it was asked to send and has not finished. */
    private final Map<DeviceId, AgentCommand.StartDataTransfer> streams = new HashMap<>();
    /** Destination device -> the accept waiting for the data. */
    private final Map<DeviceId, AgentCommand.AcceptDataTransfer> accepted = new HashMap<>();
    /** Destination device -> the digest of data that arrived before its accept. */
    private final Map<DeviceId, String> arrived = new HashMap<>();
    private final List<Applied> arcs = new ArrayList<>();
    private final List<AgentCommand> refused = new ArrayList<>();

    /**
     * The default policy without pre-copy: zero-latency devices converge at once, and pre-copy would
     * only add timer-driven rounds to what the tests and benchmarks drive.
     */
    public static MigrationPolicy withoutPreCopy() {
        MigrationPolicy p = MigrationPolicy.defaults();
        return new MigrationPolicy(p.stepDeadline(), p.transferDeadline(), p.maxAttempts(), false, p.maxPreCopy(),
                p.onPreCopyTimeout(), p.bandwidthBytesPerSecond(), p.downtimeBudget(), p.silenceLimit());
    }

    public FaithfulDevices(VmId vm) {
        this.vm = vm;
    }

    public VmId vm() {
        return vm;
    }

    /** Adds a device in RUNNING on {@code host}, reported by {@code agent}. */
    public FaithfulDevice add(HostId host, AgentId agent, DeviceId id, long flags, String model, long initialBytes,
            long stopCopyBytes) {
        FaithfulDevice d = new FaithfulDevice(vm, host, agent, id, flags, model, initialBytes, stopCopyBytes);
        if (devices.putIfAbsent(id, d) != null) {
            throw new IllegalArgumentException("device " + id.value() + " added twice");
        }
        return d;
    }

    public FaithfulDevice device(DeviceId id) {
        FaithfulDevice d = devices.get(id);
        if (d == null) {
            throw new IllegalArgumentException("no device " + id.value() + " on " + vm.value());
        }
        return d;
    }

    public Collection<FaithfulDevice> devices() {
        return devices.values();
    }

    /** The real state of every device, by id. */
    public Map<DeviceId, MigrationState> states() {
        Map<DeviceId, MigrationState> out = new TreeMap<>();
        devices.forEach((id, d) -> out.put(id, d.state()));
        return out;
    }

    /** The hosts the devices are on, in the order their first device was added. */
    public List<HostId> hosts() {
        return devices.values().stream().map(FaithfulDevice::host).distinct().toList();
    }

    /** Every arc taken so far, in order. */
    public List<Applied> arcs() {
        return arcs;
    }

    /** Every command refused so far (stale epoch or past its deadline), in order. */
    public List<AgentCommand> refused() {
        return refused;
    }

    /** Each device's registration, as its agent reports it at start. */
    public List<AgentEvent> registrations(Instant now) {
        List<AgentEvent> out = new ArrayList<>();
        devices.values().forEach(d -> out.add(d.registered(now)));
        return out;
    }

    /** One heartbeat per host with the state and last sequence of each of its devices. */
    public List<AgentEvent> heartbeats(Instant now, long agentEpoch) {
        Map<HostId, List<AgentEvent.DeviceStatus>> byHost = new LinkedHashMap<>();
        Map<HostId, AgentId> agents = new HashMap<>();
        for (FaithfulDevice d : devices.values()) {
            byHost.computeIfAbsent(d.host(), h -> new ArrayList<>()).add(d.status());
            agents.put(d.host(), d.agent());
        }
        List<AgentEvent> out = new ArrayList<>();
        byHost.forEach((h, st) -> out.add(new AgentEvent.AgentHeartbeat(h, agents.get(h), vm, now, agentEpoch, st)));
        return out;
    }

    /** Carries out {@code c} at {@code now}; the events its host's agent reports, in order. */
    public List<AgentEvent> answer(AgentCommand c, Instant now) {
        List<AgentEvent> out = new ArrayList<>(2);
        long newest = newestEpoch.getOrDefault(c.host(), 0L);
        if (c.coordinatorEpoch() < newest || now.isAfter(c.deadline())) {
            refused.add(c);
            return out;
        }
        newestEpoch.put(c.host(), c.coordinatorEpoch());
        if (c.kind() == AgentCommand.Kind.ABORT_MIGRATION) {
            // The host's agent drops its streams; devices stay where they are (the saga moves them back).
            streams.keySet().removeIf(id -> devices.get(id).host().equals(c.host()));
            accepted.keySet().removeIf(id -> devices.get(id).host().equals(c.host()));
            return out;
        }
        FaithfulDevice d = devices.get(((AgentCommand.DeviceCommand) c).device());
        if (d == null || !d.host().equals(c.host())) {
            return out;
        }
        if (!applied.add(c.id())) {
            if (c.kind() == AgentCommand.Kind.TRANSITION_DEVICE || c.kind() == AgentCommand.Kind.RESET_DEVICE) {
                out.add(d.changed(Optional.of(c.id()), d.state(), d.state(), now, now));
            }
            return out;
        }
        switch (c.kind()) {
            case TRANSITION_DEVICE -> transition((AgentCommand.TransitionDevice) c, d, now, out);
            case RESET_DEVICE -> {
                MigrationState from = d.state();
                d.state(MigrationState.RUNNING);
                streams.remove(d.id());
                accepted.remove(d.id());
                arcs.add(new Applied(d.id(), from, MigrationState.RUNNING, c.id()));
                out.add(d.changed(Optional.of(c.id()), from, MigrationState.RUNNING, now, now));
            }
            case START_DATA_TRANSFER -> startStream((AgentCommand.StartDataTransfer) c, d, now, out);
            case ACCEPT_DATA_TRANSFER -> {
                AgentCommand.AcceptDataTransfer a = (AgentCommand.AcceptDataTransfer) c;
                String sha = arrived.remove(d.id());
                if (sha == null) {
                    accepted.put(d.id(), a);
                } else {
                    out.add(received(d, a, sha, now));
                }
            }
            case ABORT_MIGRATION -> throw new IllegalStateException("handled above");
        }
        return out;
    }

    private void transition(AgentCommand.TransitionDevice c, FaithfulDevice d, Instant now, List<AgentEvent> out) {
        if (d.capability().isEmpty()) {
            out.add(d.failed(Optional.of(c.id()), d.state(), c.target(), Errno.EINVAL.value(), d.state(),
                    "undefined migration flags", now));
            return;
        }
        Transition t = MigrationFsm.plan(d.capability().get(), d.state(), c.target());
        if (t instanceof Transition.Refused r) {
            out.add(d.failed(Optional.of(c.id()), d.state(), c.target(), r.errno().value(), d.state(), r.message(), now));
            return;
        }
        List<Arc> path = ((Transition.Path) t).arcs();
        if (path.isEmpty()) {
            out.add(d.changed(Optional.of(c.id()), d.state(), d.state(), now, now));
            return;
        }
        for (Arc arc : path) {
            d.state(arc.to());
            arcs.add(new Applied(d.id(), arc.from(), arc.to(), c.id()));
            out.add(d.changed(Optional.of(c.id()), arc.from(), arc.to(), now, now));
        }
        AgentCommand.StartDataTransfer s = streams.get(d.id());
        if (s != null && d.state() == MigrationState.STOP_COPY) {
            complete(d, s, now, out);
        }
    }

    private void startStream(AgentCommand.StartDataTransfer c, FaithfulDevice d, Instant now, List<AgentEvent> out) {
        if (d.state() == MigrationState.STOP_COPY) {
            complete(d, c, now, out);
        } else if (d.state() == MigrationState.PRE_COPY || d.state() == MigrationState.PRE_COPY_P2P) {
            streams.put(d.id(), c);
            out.add(d.preCopy(c.migration(), 0, d.initialBytes(), now));
        } else {
            out.add(d.streamFailed(c.migration(), c.id(), AgentEvent.Direction.SEND, 0,
                    "no open saving session in " + d.state(), now));
        }
    }

    private void complete(FaithfulDevice source, AgentCommand.StartDataTransfer c, Instant now, List<AgentEvent> out) {
        streams.remove(source.id());
        String sha = FaithfulDevice.sha(c.migration(), source.id());
        out.add(source.streamed(c.migration(), c.id(), AgentEvent.Direction.SEND,
                source.initialBytes() + source.stopCopyBytes(), sha, now));
        FaithfulDevice dst = devices.get(c.destinationDevice());
        if (dst == null) {
            return;
        }
        AgentCommand.AcceptDataTransfer accept = accepted.remove(dst.id());
        if (accept == null) {
            arrived.put(dst.id(), sha);
        } else {
            out.add(received(dst, accept, sha, now));
        }
    }

    private AgentEvent received(FaithfulDevice d, AgentCommand.AcceptDataTransfer accept, String sha, Instant now) {
        return d.streamed(accept.migration(), accept.id(), AgentEvent.Direction.RECEIVE,
                d.initialBytes() + d.stopCopyBytes(), sha, now);
    }
}
