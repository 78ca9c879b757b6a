package dev.vfo.bench;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the coordinator log (read_committed, from its end when started) on a thread of its own:
 * what the coordinator decided and committed, per VM. For the VMs {@code keep} accepts every decided
 * event is kept (the sequential sections read phases and reports from it); for the others only how
 * their migration ended (the fleet section, where keeping 100,000s of events would only cost memory).
 */
final class LogWatch implements AutoCloseable {

    /** How a migration ended, as the coordinator logged it. */
    record Ending(SagaEvent.Kind kind, long observedNanos) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Predicate<VmId> keep;
    private final Map<VmId, List<SagaEvent>> events = new ConcurrentHashMap<>();
    private final Map<VmId, Ending> endings = new ConcurrentHashMap<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    LogWatch(String bootstrap, String topic, Predicate<VmId> keep) {
        this.keep = keep;
        this.consumer = ControlPlaneClients.consumer(bootstrap);
        List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position);
        thread = new Thread(this::run, "bench-log-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    Decoded<CoordinatorLogEntry> d = LogCodec.decodeLogEntry(r.value());
                    if (d.kind() == Decoded.Kind.OK) {
                        seen(d.orElseThrow());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private void seen(CoordinatorLogEntry entry) {
        SagaEvent e = entry.event();
        if (keep.test(entry.vm())) {
            events.computeIfAbsent(entry.vm(), v -> Collections.synchronizedList(new ArrayList<>())).add(e);
        }
        switch (e.kind()) {
            case MIGRATION_COMPLETED, MIGRATION_ROLLED_BACK, MIGRATION_FAILED, PLAN_REJECTED -> {
                if (endings.putIfAbsent(entry.vm(), new Ending(e.kind(), System.nanoTime())) == null
                        && e.kind() == SagaEvent.Kind.MIGRATION_COMPLETED) {
                    completed.incrementAndGet();
                }
            }
            default -> {
                // only endings are tracked
            }
        }
    }

    /** The events logged for {@code vm} so far (kept VMs only), a copy. */
    List<SagaEvent> events(VmId vm) {
        List<SagaEvent> l = events.getOrDefault(vm, List.of());
        synchronized (l) {
            return List.copyOf(l);
        }
    }

    /** How many of {@code vm}'s logged events match. */
    long count(VmId vm, Predicate<SagaEvent> which) {
        return events(vm).stream().filter(which).count();
    }

    Ending awaitEnd(VmId vm, Duration timeout) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < giveUp) {
            Ending e = endings.get(vm);
            if (e != null) {
                return e;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(vm.value() + "'s migration did not end within " + timeout);
    }

    int ended() {
        return endings.size();
    }

    int completed() {
        return completed.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
    }
}
