package dev.vfo.bench;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.DevicePair;
import dev.vfo.core.saga.MigrationRequest;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.sim.FaithfulDevices;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import dev.vfo.schemas.topic.TopicSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Sections 2 to 4, the end-to-end parts: the product's coordinator ({@link CoordinatorUnderTest},
 * {@link ProductCoordinator}) on the suite's broker, with the suite playing the agents over Kafka
 * ({@link KafkaAgents}: one consumer per host's command topic answering with core's
 * zero-latency {@link FaithfulDevices}), so only the coordinator and Kafka take time. Each part
 * runs on topics of its own (a catalog namespace per part) with a coordinator of its own. Without
 * a coordinator implementation the rows say why they did not run; no number is made up.
 */
public final class EndToEnd implements Scenario {

    /** The three parts, with the definitions. */
    public enum Part {
        BARRIER("2", "Barrier overhead: last RUNNING_P2P produced -> every agent consumed its STOP_COPY"),
        ORCHESTRATION("3", "Whole-migration orchestration overhead per phase, zero-latency devices"),
        FLEET("4", "Fleet throughput: concurrent migrations, one coordinator on 2 cores");

        final String section;
        final String title;

        Part(String section, String title) {
            this.section = section;
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** The device counts of section 2. */
    public static final List<Integer> BARRIER_DEVICES = List.of(2, 4, 8, 16);
    static final int FLEET_DEVICES = 8;
    static final int FLEET_HOSTS = 8;
    private static final String FLEET_WARMUP = "vm-fw-";
    private static final long P2P = InstantAgents.P2P;
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Row.Target BARRIER_TARGET = Row.Target.atMost("p99_ratio_to_raw_tx", 1.5,
            "p99 <= 1.5x the raw transactional round trip p99");
    private static final Row.Target FLEET_TARGET = Row.Target.atLeast("events_per_s", 50_000,
            ">= 50,000 device events/s on 2 cores");

    private final Part part;

    public EndToEnd(Part part) {
        this.part = part;
    }

    @Override
    public String section() {
        return part.section;
    }

    @Override
    public String title() {
        return part.title;
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        Optional<CoordinatorUnderTest> coordinator = CoordinatorUnderTest.find();
        if (coordinator.isEmpty()) {
            return notRun(context, "not run: no dev.vfo.bench.CoordinatorUnderTest is registered");
        }
        TopicCatalog catalog = new TopicCatalog(context.namespace() + "-" + part.name().toLowerCase(),
                TopicCatalog.DEFAULT_PARTITIONS, Optional.empty());
        List<HostId> hosts = new ArrayList<>();
        int pairs = part == Part.FLEET ? Math.min(FLEET_HOSTS, context.budget().fleetVms()) : 1;
        for (int i = 0; i < pairs; i++) {
            hosts.add(new HostId("src-" + i));
            hosts.add(new HostId("dst-" + i));
        }
        List<TopicSpec> topics = new ArrayList<>(catalog.clusterTopics());
        hosts.forEach(h -> topics.add(catalog.commands(h)));
        context.ensure(topics);
        String bootstrap = context.bootstrapServers();
        context.say("section " + part.section + ": starting " + coordinator.get().description());
        try (AutoCloseable node = coordinator.get().start(bootstrap, catalog);
                LogWatch watch = new LogWatch(bootstrap, catalog.coordinatorLog().name(),
                        vm -> part != Part.FLEET || vm.value().startsWith(FLEET_WARMUP));
                KafkaAgents agents = new KafkaAgents(bootstrap, catalog, hosts);
                KafkaProducer<byte[], byte[]> requests = ControlPlaneClients.producer(bootstrap)) {
            Fixture f = new Fixture(context, catalog, watch, agents, requests, coordinator.get().description());
            switch (part) {
                case BARRIER:
                    return barrier(f);
                case ORCHESTRATION:
                    return List.of(orchestration(f));
                case FLEET:
                    return List.of(fleet(f, hosts));
            }
            throw new IllegalStateException("unknown part " + part);
        }
    }

    private List<Row> notRun(BenchContext context, String reason) {
        switch (part) {
            case BARRIER:
                return BARRIER_DEVICES.stream().map(n -> Row.notRun(part.section, barrierName(n), reason,
                        Optional.of(BARRIER_TARGET))).toList();
            case ORCHESTRATION:
                return List.of(Row.notRun(part.section, orchestrationName(), reason, Optional.empty()));
            case FLEET:
                return List.of(Row.notRun(part.section, fleetName(context), reason, Optional.of(FLEET_TARGET)));
        }
        throw new IllegalStateException("unknown part " + part);
    }

    private static String barrierName(int devices) {
        return "barrier overhead over Kafka, " + devices + " devices";
    }

    private static String orchestrationName() {
        return "orchestration overhead per phase over Kafka, 8 devices";
    }

    private static String fleetName(BenchContext context) {
        return context.budget().fleetVms() + " VMs x " + FLEET_DEVICES + " devices over Kafka: device events/s and"
                + " max consumer lag";
    }

    /** What every driver uses: the part's topics, the log watch, the agents, a request producer. */
    private record Fixture(BenchContext context, TopicCatalog catalog, LogWatch watch, KafkaAgents agents,
            KafkaProducer<byte[], byte[]> requests, String coordinator) {

        /** A VM of {@code devices} P2P pairs from {@code source} to {@code destination}, registered and seen by the coordinator. */
        FaithfulDevices register(String name, int devices, HostId source, HostId destination, boolean await)
                throws InterruptedException {
            FaithfulDevices vm = new FaithfulDevices(new VmId(name));
            for (int i = 0; i < devices; i++) {
                vm.add(source, agent(source), new DeviceId(name + "-src-" + i), P2P, InstantAgents.MODEL, 0, 1 << 20);
                vm.add(destination, agent(destination), new DeviceId(name + "-dst-" + i), P2P, InstantAgents.MODEL, 0,
                        1 << 20);
            }
            agents.add(vm);
            agents.flush();
            if (await) {
                // Requests and device events are different topics: a Start read before the
                // registrations would be refused for unknown devices.
                awaitLogged(vm.vm(), e -> e.kind() == SagaEvent.Kind.DEVICE_REPORTED, 2L * devices);
            }
            return vm;
        }

        void awaitLogged(VmId vm, java.util.function.Predicate<SagaEvent> which, long count)
                throws InterruptedException {
            long giveUp = System.nanoTime() + MIGRATION_TIMEOUT.toNanos();
            while (watch.count(vm, which) < count) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(vm.value() + ": the coordinator did not log " + count
                            + " such events within " + MIGRATION_TIMEOUT);
                }
                Thread.sleep(1);
            }
        }

        void start(FaithfulDevices vm, HostId source, HostId destination) {
            List<DevicePair> pairs = new ArrayList<>();
            int n = vm.devices().size() / 2;
            for (int i = 0; i < n; i++) {
                pairs.add(new DevicePair(new DeviceId(vm.vm().value() + "-src-" + i),
                        new DeviceId(vm.vm().value() + "-dst-" + i)));
            }
            MigrationRequest request = new MigrationRequest(new MigrationId("mig-" + vm.vm().value()), vm.vm(), source,
                    destination, pairs, FaithfulDevices.withoutPreCopy());
            requests.send(new ProducerRecord<>(catalog.requests().name(), TopicCatalog.key(vm.vm()),
                    LogCodec.encode(new SagaInput.Start(request, Instant.now()))));
        }

        /** One whole migration of a fresh VM, waiting for its end; the log watch holds its events. */
        LogWatch.Ending migrate(String name, int devices) throws InterruptedException {
            HostId source = new HostId("src-0");
            HostId destination = new HostId("dst-0");
            FaithfulDevices vm = register(name, devices, source, destination, true);
            start(vm, source, destination);
            requests.flush();
            return watch.awaitEnd(vm.vm(), MIGRATION_TIMEOUT);
        }
    }

    private static AgentId agent(HostId host) {
        return new AgentId("agent-" + host.value());
    }

    /** How many sequential migrations a latency part times: the budget's round trips / 100, at least 2. */
    private static int samples(Budget b) {
        return Math.max(2, b.roundTrips() / 100);
    }

    // ------------------------------------------------------------------ section 2

    /**
     * Holds the last of a VM's quiesce commands (source to RUNNING_P2P) and times from the moment
     * its answer is handed to the producer to the moment the last of the VM's STOP_COPY commands was
     * polled by the source host's consumer.
     */
    private static final class BarrierTap implements KafkaAgents.Tap {
        final VmId vm;
        final HostId source;
        final int devices;
        int quiesce;
        final AtomicReference<AgentCommand> held = new AtomicReference<>();
        final CountDownLatch heldLatch = new CountDownLatch(1);
        final AtomicLong released = new AtomicLong();
        final List<Long> stopCopies = new ArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);

        BarrierTap(VmId vm, HostId source, int devices) {
            this.vm = vm;
            this.source = source;
            this.devices = devices;
        }

        @Override
        public synchronized boolean consumed(AgentCommand c, long polledNanos) {
            if (!c.vm().equals(vm) || !c.host().equals(source) || c.kind() != AgentCommand.Kind.TRANSITION_DEVICE) {
                return false;
            }
            MigrationState target = ((AgentCommand.TransitionDevice) c).target();
            if (target == MigrationState.RUNNING_P2P && ++quiesce == devices) {
                held.set(c);
                heldLatch.countDown();
                return true;
            }
            if (target == MigrationState.STOP_COPY) {
                stopCopies.add(polledNanos);
                if (stopCopies.size() == devices) {
                    stopped.countDown();
                }
            }
            return false;
        }

        @Override
        public void answered(AgentCommand c, long sentNanos) {
            if (c == held.get()) {
                released.set(sentNanos);
            }
        }

        synchronized long lastStopCopy() {
            return stopCopies.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    private List<Row> barrier(Fixture f) throws Exception {
        BenchContext context = f.context();
        Row floor = RoundTrip.floor(context, RoundTrip.Variant.TRANSACTIONAL);
        double floorP99 = floor.values().get("p99_ms");
        double floorP50 = floor.values().get("p50_ms");
        // The path the ratio leaves out: an exactly-once loop also commits its offsets.
        Row eos = RoundTrip.floor(context, RoundTrip.Variant.EXACTLY_ONCE_RELAY);
        int samples = samples(context.budget());
        for (int i = 0; i < Math.max(2, samples / 10); i++) {
            f.migrate("vm-warm-" + i, 8); // JIT and the clients' connections, untimed
        }
        List<Row> rows = new ArrayList<>();
        HostId source = new HostId("src-0");
        HostId destination = new HostId("dst-0");
        for (int devices : BARRIER_DEVICES) {
            context.say("section 2: barrier, " + devices + " devices, " + samples + " migrations");
            long[] nanos = new long[samples];
            int completed = 0;
            for (int i = 0; i < samples; i++) {
                FaithfulDevices vm = f.register("vm-b" + devices + "-" + i, devices, source, destination, true);
                BarrierTap tap = new BarrierTap(vm.vm(), source, devices);
                f.agents().tap(tap);
                f.start(vm, source, destination);
                f.requests().flush();
                if (!tap.heldLatch.await(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException(vm.vm().value() + " never asked its last device to quiesce");
                }
                // The other devices' RUNNING_P2P reports are in the log: the barrier waits for the held one only.
                f.awaitLogged(vm.vm(), e -> e instanceof SagaEvent.DeviceReported r
                        && r.event() instanceof AgentEvent.DeviceStateChanged s && s.host().equals(source)
                        && s.to() == MigrationState.RUNNING_P2P, devices - 1);
                f.agents().answer(tap.held.get());
                if (!tap.stopped.await(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException(vm.vm().value() + ": the STOP_COPY commands did not all arrive");
                }
                nanos[i] = tap.lastStopCopy() - tap.released.get();
                f.agents().tap(KafkaAgents.PASS);
                if (f.watch().awaitEnd(vm.vm(), MIGRATION_TIMEOUT).kind() == SagaEvent.Kind.MIGRATION_COMPLETED) {
                    completed++;
                }
            }
            Map<String, Double> values = new LinkedHashMap<>(new Percentiles(nanos).millis());
            values.put("p50_ratio_to_raw_tx", values.get("p50_ms") / floorP50);
            values.put("p99_ratio_to_raw_tx", values.get("p99_ms") / floorP99);
            values.put("raw_tx_p99_ms", floorP99);
            values.put("p50_ratio_to_eos_floor", values.get("p50_ms") / eos.values().get("p50_ms"));
            values.put("p99_ratio_to_eos_floor", values.get("p99_ms") / eos.values().get("p99_ms"));
            values.put("migrations_completed", (double) completed);
            rows.add(Row.measured("2", barrierName(devices), values, "one VM at a time, all " + devices + " sources on"
                    + " one host (one command consumer); t0 = the last RUNNING_P2P event handed to the agent's"
                    + " producer (idempotent, acks=all, linger 0), t1 = the last STOP_COPY command polled; ratio to the"
                    + " section-1 transactional round trip of this run (p50 " + fmt(floorP50) + " ms, p99 "
                    + fmt(floorP99) + " ms); eos_floor = section 1's exactly-once relay floor (p50 "
                    + fmt(eos.values().get("p50_ms")) + " ms, p99 " + fmt(eos.values().get("p99_ms")) + " ms); "
                    + f.coordinator()).against(BARRIER_TARGET));
        }
        return rows;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    // ------------------------------------------------------------------ section 3

    private Row orchestration(Fixture f) throws Exception {
        BenchContext context = f.context();
        int samples = samples(context.budget()) / 2 + 1;
        for (int i = 0; i < Math.max(2, samples / 5); i++) {
            f.migrate("vm-warm-" + i, 8);
        }
        context.say("section 3: " + samples + " whole 8-device migrations over Kafka, one at a time");
        Map<Phase, List<Long>> perPhase = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            perPhase.put(p, new ArrayList<>());
        }
        long[] totals = new long[samples];
        long[] requestToPlan = new long[samples];
        long reports = 0;
        long decided = 0;
        int completed = 0;
        for (int i = 0; i < samples; i++) {
            String name = "vm-o-" + i;
            Instant requested = Instant.now();
            LogWatch.Ending end = f.migrate(name, 8);
            if (end.kind() == SagaEvent.Kind.MIGRATION_COMPLETED) {
                completed++;
            }
            List<SagaEvent> log = f.watch().events(new VmId(name));
            Instant since = null;
            Phase in = null;
            for (SagaEvent e : log) {
                if (e instanceof SagaEvent.PhaseEntered p) {
                    if (in == null) {
                        requestToPlan[i] = Duration.between(requested, p.at()).toNanos();
                    } else {
                        perPhase.get(in).add(Duration.between(since, p.at()).toNanos());
                    }
                    in = p.phase();
                    since = p.at();
                } else if (e instanceof SagaEvent.MigrationCompleted c && in != null) {
                    perPhase.get(in).add(Duration.between(since, c.at()).toNanos());
                    totals[i] = Duration.between(requested, c.at()).toNanos();
                }
            }
            reports += log.stream().filter(e -> e.kind() == SagaEvent.Kind.DEVICE_REPORTED).count();
            decided += log.size();
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("request_to_first_phase_ms", mean(requestToPlan) / 1e6);
        perPhase.forEach((p, l) -> {
            if (!l.isEmpty()) {
                values.put(p.name().toLowerCase() + "_ms", l.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6);
            }
        });
        Percentiles total = new Percentiles(totals);
        values.put("total_p50_ms", total.nanosAt(0.5) / 1e6);
        values.put("total_p99_ms", total.nanosAt(0.99) / 1e6);
        values.put("total_mean_ms", mean(totals) / 1e6);
        values.put("log_events_per_migration", (double) decided / samples);
        values.put("reports_per_migration", (double) reports / samples);
        values.put("migrations", (double) samples);
        values.put("completed", (double) completed);
        return Row.measured("3", orchestrationName(), values, "wall time per phase (mean of " + samples + " migrations,"
                + " one at a time, after warm-up), from the coordinator's own PhaseEntered timestamps; total = Start"
                + " request produced -> MigrationCompleted decided; the devices take no time (the suite's agents"
                + " answer every command at once), so all of it is coordinator + Kafka; registration of the 16"
                + " devices is before the request and not counted; " + f.coordinator());
    }

    private static double mean(long[] a) {
        double s = 0;
        for (long v : a) {
            s += v;
        }
        return s / a.length;
    }

    // ------------------------------------------------------------------ section 4

    private Row fleet(Fixture f, List<HostId> hosts) throws Exception {
        BenchContext context = f.context();
        int vms = context.budget().fleetVms();
        // One migration per host pair first, untimed: the loop learns every host (it makes sure of a
        // host's command topic the first time it commands it), the JIT and the clients warm up.
        for (int i = 0; i < hosts.size() / 2; i++) {
            FaithfulDevices vm = f.register(FLEET_WARMUP + i, FLEET_DEVICES, hosts.get(2 * i), hosts.get(2 * i + 1), true);
            f.start(vm, hosts.get(2 * i), hosts.get(2 * i + 1));
        }
        f.requests().flush();
        for (int i = 0; i < hosts.size() / 2; i++) {
            f.watch().awaitEnd(new VmId(FLEET_WARMUP + i), MIGRATION_TIMEOUT);
        }
        int warmups = f.watch().ended();
        context.say("section 4: " + vms + " VMs x " + FLEET_DEVICES + " devices, registering");
        List<FaithfulDevices> fleet = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            HostId source = hosts.get(2 * (i % (hosts.size() / 2)));
            HostId destination = hosts.get(2 * (i % (hosts.size() / 2)) + 1);
            fleet.add(f.register("vm-f-" + i, FLEET_DEVICES, source, destination, false));
        }
        String group = f.catalog().coordinatorLog().name().replace(".coordinator-log", "") + "-coordinator";
        List<TopicPartition> inputs = new ArrayList<>();
        for (String topic : List.of(f.catalog().deviceEvents().name(), f.catalog().requests().name())) {
            for (int p = 0; p < f.catalog().vmPartitions(); p++) {
                inputs.add(new TopicPartition(topic, p));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", context.bootstrapServers()))) {
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (lag(admin, group, inputs) > 0) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("the coordinator did not consume the registrations within 5 minutes");
                }
                Thread.sleep(100);
            }
            long loopThread = loopThread(threads);
            long loopCpu0 = threads.getThreadCpuTime(loopThread);
            long processCpu0 = processCpu();
            long events0 = f.agents().produced();
            context.say("section 4: starting " + vms + " migrations at once");
            long t0 = System.nanoTime();
            for (FaithfulDevices vm : fleet) {
                Hosts d = Hosts.of(vm);
                f.start(vm, d.source, d.destination);
            }
            f.requests().flush();
            long maxLag = 0;
            long lagSamples = 0;
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, vms / 2));
            while (f.watch().ended() < warmups + vms && System.nanoTime() < bound) {
                maxLag = Math.max(maxLag, lag(admin, group, inputs));
                lagSamples++;
                Thread.sleep(100);
            }
            long t1 = System.nanoTime();
            long events = f.agents().produced() - events0;
            long loopCpu = threads.getThreadCpuTime(loopThread) - loopCpu0;
            long processCpu = processCpu() - processCpu0;
            double seconds = (t1 - t0) / 1e9;
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("events_per_s", events / seconds);
            values.put("device_events", (double) events);
            values.put("wall_s", seconds);
            values.put("max_consumer_lag", (double) maxLag);
            values.put("lag_samples", (double) lagSamples);
            values.put("migrations_ended", (double) f.watch().ended() - warmups);
            values.put("migrations_completed", (double) f.watch().completed() - warmups);
            values.put("loop_thread_cpu_s", loopCpu / 1e9);
            values.put("loop_cpu_us_per_event", loopCpu / 1e3 / Math.max(1, events));
            values.put("process_cpu_s", processCpu / 1e9);
            return Row.measured("4", fleetName(context), values, "all " + vms + " Start requests produced at once"
                    + " after the " + (2 * FLEET_DEVICES * vms) + " registrations were consumed and one untimed migration"
                    + " per host pair; device events = every"
                    + " agent event produced from then until the last migration ended (wall_s), bounded to "
                    + Math.max(120, vms / 2) + " s; " + hosts.size() + " hosts, one command consumer each; max lag ="
                    + " the coordinator group's committed offsets behind the ends of device-events + requests (Admin"
                    + " API, every 100 ms); process_cpu_s includes the suite's agents, the broker and the log watch"
                    + " in the same JVM on the same 2 cores; " + f.coordinator()).against(FLEET_TARGET);
        }
    }

    /** A fleet VM's two hosts. */
    private record Hosts(HostId source, HostId destination) {
        static Hosts of(FaithfulDevices vm) {
            List<HostId> h = vm.hosts();
            return new Hosts(h.get(0), h.get(1));
        }
    }

    private static long lag(Admin admin, String group, List<TopicPartition> inputs) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        inputs.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (TopicPartition tp : inputs) {
            OffsetAndMetadata c = committed.get(tp);
            lag += Math.max(0, ends.get(tp).offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    private static long loopThread(ThreadMXBean threads) {
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("vfo-saga-loop")) {
                return t.getThreadId();
            }
        }
        throw new IllegalStateException("no vfo-saga-loop thread in this JVM");
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
