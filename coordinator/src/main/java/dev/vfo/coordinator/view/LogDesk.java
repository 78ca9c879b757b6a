package dev.vfo.coordinator.view;

import dev.vfo.coordinator.api.CancelOutcome;
import dev.vfo.coordinator.api.DevicePairing;
import dev.vfo.coordinator.api.DeviceView;
import dev.vfo.coordinator.api.MigrationDesk;
import dev.vfo.coordinator.api.MigrationFilter;
import dev.vfo.coordinator.api.MigrationPolicy;
import dev.vfo.coordinator.api.MigrationRequest;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.MigrationWatcher;
import dev.vfo.coordinator.api.OnPreCopyLimit;
import dev.vfo.coordinator.api.Readiness;
import dev.vfo.coordinator.api.SubmitOutcome;
import dev.vfo.coordinator.api.VmView;
import dev.vfo.coordinator.api.Watch;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.DevicePair;
import dev.vfo.core.saga.KnownDevice;
import dev.vfo.core.saga.PreCopyTimeoutAction;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.schemas.codec.LogCodec;
import dev.vfo.schemas.topic.TopicCatalog;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@link MigrationDesk} over Kafka: requests go to the requests topic (keyed by VM, so the
 * instance owning the VM's partition takes them), answers come from the {@link MigrationLedger},
 * i.e. from what that instance's loop committed to the log. Every instance answers for every VM.
 */
public final class LogDesk implements MigrationDesk {
    private final MigrationLedger ledger;
    private final Producer<byte[], byte[]> requests;
    private final TopicCatalog topics;
    private final Clock clock;
    private final Supplier<Readiness> readiness;
    private final Duration answerTimeout;

    /**
     * @param requests an idempotent (not transactional) producer
     * @param readiness whether the loop owns and rebuilt its partitions and the ledger caught up
     * @param answerTimeout how long a submit waits for the saga's answer before failing
     */
    public LogDesk(MigrationLedger ledger, Producer<byte[], byte[]> requests, TopicCatalog topics, Clock clock,
            Supplier<Readiness> readiness, Duration answerTimeout) {
        this.ledger = ledger;
        this.requests = requests;
        this.topics = topics;
        this.clock = clock;
        this.readiness = readiness;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public Future<SubmitOutcome> submit(MigrationRequest request) {
        Optional<MigrationView> known = ledger.migration(request.id());
        if (known.isPresent()) {
            return Future.succeededFuture(new SubmitOutcome.Duplicate(known.get()));
        }
        List<String> problems = new ArrayList<>();
        Set<HostId> sources = new LinkedHashSet<>();
        Set<HostId> destinations = new LinkedHashSet<>();
        for (DevicePairing p : request.devices()) {
            host(request.vm(), p.source(), problems).ifPresent(sources::add);
            host(request.vm(), p.destination(), problems).ifPresent(destinations::add);
        }
        if (problems.isEmpty() && (sources.size() != 1 || destinations.size() != 1)) {
            problems.add("a migration moves a VM from one host to one host; the devices are on source hosts "
                    + sources + " and destination hosts " + destinations);
        }
        if (!problems.isEmpty()) {
            return Future.succeededFuture(new SubmitOutcome.Refused(String.join("; ", problems)));
        }
        dev.vfo.core.saga.MigrationRequest core = new dev.vfo.core.saga.MigrationRequest(request.id(), request.vm(),
                sources.iterator().next(), destinations.iterator().next(),
                request.devices().stream().map(p -> new DevicePair(p.source(), p.destination())).toList(),
                policy(request.policy()));
        CompletableFuture<SubmitOutcome> answer = ledger.expect(request.id(), request.policy());
        send(request.vm(), LogCodec.encode(new SagaInput.Start(core, clock.instant())), answer);
        answer.orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failed) -> ledger.forget(request.id(), answer));
        return Future.fromCompletionStage(answer);
    }

    private Optional<HostId> host(VmId vm, DeviceId device, List<String> problems) {
        Optional<KnownDevice> k = ledger.device(vm, device);
        if (k.isEmpty()) {
            problems.add("device " + device + " is unknown: no agent registered it for VM " + vm);
        }
        return k.map(KnownDevice::host);
    }

    private void send(VmId vm, byte[] value, CompletableFuture<?> failOn) {
        requests.send(new ProducerRecord<>(topics.requests().name(), TopicCatalog.key(vm), value), (md, e) -> {
            if (e != null) {
                failOn.completeExceptionally(e);
            }
        });
    }

    /** The saga's policy for the API's: what the API does not say keeps the saga's default. */
    static dev.vfo.core.saga.MigrationPolicy policy(MigrationPolicy p) {
        dev.vfo.core.saga.MigrationPolicy d = dev.vfo.core.saga.MigrationPolicy.defaults();
        return new dev.vfo.core.saga.MigrationPolicy(Duration.ofMillis(p.stepTimeoutMs()), d.transferDeadline(),
                d.maxAttempts(), p.maxPreCopyMs() > 0, Duration.ofMillis(p.maxPreCopyMs()),
                p.onPreCopyLimit() == OnPreCopyLimit.ABORT ? PreCopyTimeoutAction.ABORT : PreCopyTimeoutAction.SWITCH_OVER,
                p.bandwidthBytesPerSec().orElse(d.bandwidthBytesPerSecond()), Duration.ofMillis(p.downtimeBudgetMs()),
                d.silenceLimit());
    }

    @Override
    public Future<CancelOutcome> cancel(MigrationId id, String requestedBy) {
        Optional<MigrationView> m = ledger.migration(id);
        if (m.isEmpty()) {
            return Future.succeededFuture(new CancelOutcome.NotFound());
        }
        Optional<String> late = ledger.tooLateToCancel(id);
        if (late.isPresent()) {
            return Future.succeededFuture(new CancelOutcome.TooLate(late.get()));
        }
        CompletableFuture<CancelOutcome> sent = new CompletableFuture<>();
        byte[] value = LogCodec.encode(new SagaInput.Cancel(id, "cancelled by " + requestedBy, clock.instant()));
        requests.send(new ProducerRecord<>(topics.requests().name(), TopicCatalog.key(m.get().vm()), value),
                (md, e) -> {
                    if (e != null) {
                        sent.completeExceptionally(e);
                    } else {
                        sent.complete(new CancelOutcome.Cancelling(m.get()));
                    }
                });
        return Future.fromCompletionStage(sent);
    }

    @Override
    public Future<Optional<MigrationView>> migration(MigrationId id) {
        return Future.succeededFuture(ledger.migration(id));
    }

    @Override
    public Future<List<MigrationView>> migrations(MigrationFilter filter) {
        return Future.succeededFuture(ledger.migrations(filter));
    }

    @Override
    public Future<List<DeviceView>> devices() {
        return Future.succeededFuture(ledger.devices());
    }

    @Override
    public Future<Optional<VmView>> vm(VmId vm) {
        return Future.succeededFuture(ledger.vm(vm));
    }

    @Override
    public Future<Optional<Watch>> watch(MigrationId id, long afterSequence, MigrationWatcher watcher) {
        return Future.succeededFuture(ledger.watch(id, afterSequence, watcher).map(cancel -> (Watch) cancel::run));
    }

    @Override
    public Future<Readiness> readiness() {
        return Future.succeededFuture(readiness.get());
    }
}
