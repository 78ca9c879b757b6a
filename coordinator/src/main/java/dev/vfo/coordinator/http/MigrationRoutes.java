package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.CancelOutcome;
import dev.vfo.coordinator.api.MigrationDesk;
import dev.vfo.coordinator.api.MigrationFilter;
import dev.vfo.coordinator.api.MigrationRequest;
import dev.vfo.coordinator.api.MigrationStatus;
import dev.vfo.coordinator.api.MigrationView;
import dev.vfo.coordinator.api.SubmitOutcome;
import dev.vfo.coordinator.config.HttpSettings;
import dev.vfo.coordinator.security.Caller;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The handlers of the contract's operations, each turning one desk answer into one response. */
final class MigrationRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRoutes.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final MigrationDesk desk;
    private final IdempotentSubmissions submissions;
    private final HttpSettings settings;

    MigrationRoutes(MigrationDesk desk, HttpSettings settings) {
        this.desk = desk;
        this.submissions = new IdempotentSubmissions(desk);
        this.settings = settings;
    }

    void start(RoutingContext rc) {
        Caller caller = BearerGate.caller(rc);
        Optional<String> key = Optional.ofNullable(rc.request().getHeader(IDEMPOTENCY_KEY));
        JsonObject body = rc.body().asJsonObject();
        MigrationRequest request;
        try {
            request = new MigrationRequest(IdempotentSubmissions.idFor(caller.name(), key),
                    new VmId(body.getString("vm")), JsonRepresentation.pairings(body.getJsonArray("devices")),
                    JsonRepresentation.policy(body.getJsonObject("policy")), caller.name(), key);
        } catch (JsonRepresentation.InvalidField e) {
            Problem.badField(e.field(), e.getMessage()).send(rc);
            return;
        }
        answer(rc, submissions.submit(request), outcome -> {
            switch (outcome.kind()) {
                case ACCEPTED -> {
                    MigrationView m = ((SubmitOutcome.Accepted) outcome).migration();
                    LOG.info("migration {} of {} started by {}", m.id(), m.vm(), caller.name());
                    rc.response().putHeader("Location", "/v1/migrations/" + m.id().value());
                    json(rc, 201, JsonRepresentation.migration(m));
                }
                case DUPLICATE -> {
                    MigrationView original = ((SubmitOutcome.Duplicate) outcome).original();
                    if (original.samePlanAs(request)) {
                        json(rc, 200, JsonRepresentation.migration(original));
                    } else {
                        Problem.of(422, "Unprocessable Content", IDEMPOTENCY_KEY + " '" + key.orElse("")
                                + "' was used for a different request (migration " + original.id() + ")")
                                .with("migration", original.id().value()).send(rc);
                    }
                }
                case ALREADY_MIGRATING -> {
                    MigrationId active = ((SubmitOutcome.AlreadyMigrating) outcome).active();
                    Problem.of(409, "Conflict", "VM " + request.vm() + " is already migrating in " + active)
                            .with("migration", active.value()).send(rc);
                }
                case REFUSED -> Problem.of(422, "Unprocessable Content",
                        ((SubmitOutcome.Refused) outcome).reason()).send(rc);
            }
        });
    }

    void get(RoutingContext rc) {
        MigrationId id = new MigrationId(rc.pathParam("id"));
        answer(rc, desk.migration(id), found -> found.ifPresentOrElse(
                m -> json(rc, 200, JsonRepresentation.migration(m)),
                () -> notFound(rc, "migration " + id)));
    }

    void list(RoutingContext rc) {
        Optional<VmId> vm = Optional.ofNullable(rc.queryParams().get("vm")).map(VmId::new);
        Optional<MigrationStatus> state = Optional.ofNullable(rc.queryParams().get("state")).map(MigrationStatus::valueOf);
        int limit = Optional.ofNullable(rc.queryParams().get("limit")).map(Integer::parseInt).orElse(100);
        answer(rc, desk.migrations(new MigrationFilter(vm, state, limit)), list -> json(rc, 200,
                new JsonObject().put("migrations", new JsonArray(list.stream().map(JsonRepresentation::migration).toList()))));
    }

    void cancel(RoutingContext rc) {
        MigrationId id = new MigrationId(rc.pathParam("id"));
        Caller caller = BearerGate.caller(rc);
        answer(rc, desk.cancel(id, caller.name()), outcome -> {
            switch (outcome.kind()) {
                case CANCELLING -> {
                    LOG.info("migration {} cancelled by {}", id, caller.name());
                    json(rc, 202, JsonRepresentation.migration(((CancelOutcome.Cancelling) outcome).migration()));
                }
                case NOT_FOUND -> notFound(rc, "migration " + id);
                case TOO_LATE -> Problem.of(409, "Conflict", ((CancelOutcome.TooLate) outcome).reason())
                        .with("migration", id.value()).send(rc);
            }
        });
    }

    void events(RoutingContext rc) {
        MigrationId id = new MigrationId(rc.pathParam("id"));
        long after = Optional.ofNullable(rc.request().getHeader("Last-Event-ID")).map(Long::parseLong).orElse(0L);
        Context context = rc.vertx().getOrCreateContext();
        EventStream stream = new EventStream(context, rc.response(), settings.sseMaxPendingEvents(), settings.sseHeartbeat());
        onContext(context, desk.watch(id, after, stream))
                .onSuccess(watch -> watch.ifPresentOrElse(stream::open, () -> {
                    stream.abandon();
                    notFound(rc, "migration " + id);
                }))
                .onFailure(e -> {
                    stream.abandon();
                    unavailable(rc, e);
                });
    }

    void devices(RoutingContext rc) {
        answer(rc, desk.devices(), list -> json(rc, 200,
                new JsonObject().put("devices", new JsonArray(list.stream().map(JsonRepresentation::device).toList()))));
    }

    void vm(RoutingContext rc) {
        VmId vm = new VmId(rc.pathParam("vm"));
        answer(rc, desk.vm(vm), found -> found.ifPresentOrElse(
                v -> json(rc, 200, JsonRepresentation.vm(v)),
                () -> notFound(rc, "VM " + vm)));
    }

    /** Runs {@code then} on the request's context with the desk's answer, or answers 503. */
    private static <T> void answer(RoutingContext rc, Future<T> future, java.util.function.Consumer<T> then) {
        onContext(rc.vertx().getOrCreateContext(), future).onSuccess(then::accept).onFailure(e -> unavailable(rc, e));
    }

    /**
     * The desk may complete its futures on its own thread; responses must be written on the
     * request's context, so every answer hops back there first.
     */
    static <T> Future<T> onContext(Context context, Future<T> future) {
        Promise<T> promise = Promise.promise();
        future.onComplete(done -> context.runOnContext(v -> promise.handle(done)));
        return promise.future();
    }

    static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    static void notFound(RoutingContext rc, String what) {
        Problem.of(404, "Not Found", "no " + what).send(rc);
    }

    private static void unavailable(RoutingContext rc, Throwable e) {
        LOG.warn("the migration desk could not answer {} {}", rc.request().method(), rc.request().path(), e);
        rc.response().putHeader("Retry-After", "1");
        Problem.of(503, "Service Unavailable", "the coordinator cannot answer now; retry").send(rc);
    }
}
