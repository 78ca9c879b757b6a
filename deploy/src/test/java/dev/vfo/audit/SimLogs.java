package dev.vfo.audit;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.sim.Recording;
import dev.vfo.core.sim.Simulation;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.chain.HashChain;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.topic.TopicCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Logs from real simulator runs, encoded as they sit on the topics: each agent event through
 * LogCodec on {@code vfo.device-events}, each saga event hash-chained into a LogEntry on
 * {@code vfo.coordinator-log}, the VM's partition from the catalog, record timestamps from the
 * events' own instants (an agent event when produced, a log entry when its input was taken).
 * Tests tamper with the lists before {@link #records} puts them in audit order.
 */
final class SimLogs {

    static final TopicCatalog TOPICS = TopicCatalog.defaults();

    private SimLogs() {}

    /** A value on a topic with its timestamp; the offset is its index in its list. */
    record Entry(byte[] value, long timestamp) {}

    /** One VM's two streams as the topics hold them. */
    record Vm(VmId vm, Recording recording, List<Entry> events, List<Entry> log) {
        Vm {
            events = new ArrayList<>(events);
            log = new ArrayList<>(log);
        }
    }

    static Vm of(long seed) {
        Recording r = Simulation.record(seed);
        return new Vm(r.vm(), r, events(r.produced()), chain(r.vm(), r.log()));
    }

    static List<Entry> events(List<AgentEvent> produced) {
        List<Entry> out = new ArrayList<>();
        produced.forEach(e -> out.add(new Entry(LogCodec.encode(e), e.at().toEpochMilli())));
        return out;
    }

    /** The saga events chained as the coordinator writes them. */
    static List<Entry> chain(VmId vm, List<SagaEvent> log) {
        List<Entry> out = new ArrayList<>();
        ChainHead head = ChainHead.genesis(vm);
        Instant at = Instant.EPOCH;
        for (SagaEvent e : log) {
            if (e.recordsInput() && e.input().at().isAfter(at)) {
                at = e.input().at(); // written when taken; an input from a backlog is written late, not back in time
            }
            HashChain.Appended a = HashChain.append(head, e);
            head = a.head();
            out.add(new Entry(a.bytes(), at.toEpochMilli()));
        }
        return out;
    }

    static int partition(VmId vm) {
        return TOPICS.partitionOf(vm);
    }

    /**
     * Every VM's streams in audit order: per partition number, device events and coordinator log
     * merged by timestamp (device events first on a tie), each in offset order. Offsets count per
     * topic-partition across VMs that share it, as a broker would assign them.
     */
    static List<LoggedRecord> records(List<Vm> vms) {
        return inAuditOrder(vms, SimLogs::renumber);
    }

    /** Per partition number, each topic's records laid out by {@code layout}, then merged by timestamp. */
    private static List<LoggedRecord> inAuditOrder(List<Vm> vms,
            java.util.function.UnaryOperator<List<LoggedRecord>> layout) {
        Map<Integer, List<LoggedRecord>> events = new TreeMap<>();
        Map<Integer, List<LoggedRecord>> logs = new TreeMap<>();
        for (Vm v : vms) {
            int p = partition(v.vm());
            add(events.computeIfAbsent(p, k -> new ArrayList<>()), TOPICS.deviceEvents().name(), p, v.vm(), v.events());
            add(logs.computeIfAbsent(p, k -> new ArrayList<>()), TOPICS.coordinatorLog().name(), p, v.vm(), v.log());
        }
        List<LoggedRecord> out = new ArrayList<>();
        for (Integer p : events.keySet()) {
            out.addAll(merge(layout.apply(events.get(p)), layout.apply(logs.get(p))));
        }
        return out;
    }

    /**
     * VMs sharing a partition run at the same time: their records interleave by time as producers
     * append them, each VM's in its own order; then offsets are assigned.
     */
    private static List<LoggedRecord> renumber(List<LoggedRecord> records) {
        Map<String, List<LoggedRecord>> perVm = new java.util.LinkedHashMap<>();
        records.forEach(r -> perVm.computeIfAbsent(r.key().map(String::new).orElse(""), k -> new ArrayList<>()).add(r));
        List<LoggedRecord> merged = new ArrayList<>();
        for (List<LoggedRecord> vm : perVm.values()) {
            merged = merge(merged, vm);
        }
        List<LoggedRecord> out = new ArrayList<>();
        for (LoggedRecord r : merged) {
            out.add(new LoggedRecord(r.topic(), r.partition(), out.size(), r.timestamp(), r.key(), r.value()));
        }
        return out;
    }

    /** Heads merged by timestamp, {@code a} first on a tie: the audit order of one partition number (a = device events). */
    private static List<LoggedRecord> merge(List<LoggedRecord> a, List<LoggedRecord> b) {
        List<LoggedRecord> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && a.get(i).timestamp() <= b.get(j).timestamp())) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        return out;
    }

    /**
     * Every VM's streams as the benchmark's loader writes them: per topic-partition, one VM's
     * records after another's (so each partition's timestamps go back at every VM), then in the
     * order {@link TopicLog} reads them (per partition number, merged by timestamp). Each VM's
     * own records stay in order, but one topic's records of a VM can come long before the
     * other's.
     */
    static List<LoggedRecord> backToBack(List<Vm> vms) {
        return inAuditOrder(vms, records -> records);
    }

    static List<LoggedRecord> records(Vm vm) {
        return records(List.of(vm));
    }

    private static void add(List<LoggedRecord> into, String topic, int p, VmId vm, List<Entry> entries) {
        for (Entry e : entries) {
            into.add(new LoggedRecord(topic, p, into.size(), e.timestamp(), Optional.of(TopicCatalog.key(vm)),
                    Optional.of(e.value())));
        }
    }

    static AuditReport audit(List<LoggedRecord> records, Instant now) {
        AuditEngine engine = new AuditEngine(TOPICS, AuditEngine.Scope.everything());
        records.forEach(engine::accept);
        return engine.finish(now);
    }

    /** Far after any simulated run: an unfinished migration is stuck by then. */
    static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    /** Each device's last state as its agent reported it (registration, state change, failed transition's read-back). */
    static Map<DeviceId, MigrationState> lastStates(List<AgentEvent> events) {
        Map<DeviceId, MigrationState> out = new java.util.LinkedHashMap<>();
        for (AgentEvent e : events) {
            if (e instanceof AgentEvent.DeviceRegistered r) {
                out.put(r.device(), r.state());
            } else if (e instanceof AgentEvent.DeviceStateChanged sc) {
                out.put(sc.device(), sc.to());
            } else if (e instanceof AgentEvent.TransitionFailed f) {
                out.put(f.device(), f.readBack());
            }
        }
        return out;
    }
}
