package dev.vfo.coordinator.http;

import dev.vfo.coordinator.api.MigrationDesk;
import dev.vfo.coordinator.api.Readiness;
import dev.vfo.coordinator.config.CoordinatorConfig;
import dev.vfo.coordinator.config.HttpSettings;
import dev.vfo.coordinator.config.TlsSettings;
import dev.vfo.coordinator.security.CreationRateLimit;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP listener: the REST API of {@code openapi.yaml} in front of a
 * {@link MigrationDesk}, plus /openapi.yaml, /health/live, /health/ready and /metrics.
 * Deploy it once per process; {@link #actualPort()} is the bound port after start (ask for port
 * 0 in tests).
 */
public final class ControlPlaneServer extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneServer.class);
    /** The contract's classpath location: validated against and served verbatim. */
    public static final String CONTRACT = "openapi.yaml";

    private final CoordinatorConfig config;
    private final MigrationDesk desk;
    private final PrometheusMeterRegistry registry;
    private final LongSupplier nanoClock;
    private HttpServer server;

    /**
     * @param nanoClock the rate limit's clock ({@link System#nanoTime} in production; tests
     *     pass their own so time is theirs to move)
     */
    public ControlPlaneServer(CoordinatorConfig config, MigrationDesk desk, PrometheusMeterRegistry registry,
            LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public Future<?> start() {
        if (config.api().tokens().isEmpty()) {
            // Every /v1 request would get 401: refuse to start rather than run useless.
            return Future.failedFuture(new IllegalStateException(
                    "no API tokens configured: set VFO_API_TOKENS or VFO_API_TOKEN_FILE"));
        }
        HttpSettings http = config.http();
        return vertx.fileSystem().readFile(CONTRACT)
                .compose(contractText -> Contract.forValidation(vertx, contractText)
                        .map(contract -> router(contract, contractText)))
                .compose(router -> vertx.createHttpServer(serverOptions(http))
                        .requestHandler(router)
                        .listen())
                .onSuccess(s -> {
                    server = s;
                    LOG.info("REST API listening on {}:{} ({})", http.host(), s.actualPort(),
                            http.tls().map(t -> t.requiresClientCertificate() ? "TLS, client certificates" : "TLS")
                                    .orElse("plain HTTP"));
                });
    }

    /** The bound port; valid after start. */
    public int actualPort() {
        if (server == null) {
            throw new IllegalStateException("the server has not started");
        }
        return server.actualPort();
    }

    static HttpServerOptions serverOptions(HttpSettings http) {
        HttpServerOptions options = new HttpServerOptions().setHost(http.host()).setPort(http.port())
                .setCompressionSupported(false);
        Optional<TlsSettings> tls = http.tls();
        tls.ifPresent(t -> {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(t.certificate().toString())
                    .setKeyPath(t.privateKey().toString()));
            t.clientCa().ifPresent(ca -> options
                    .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                    .setClientAuth(ClientAuth.REQUIRED));
        });
        return options;
    }

    private Router router(OpenAPIContract contract, Buffer contractText) {
        HttpSettings http = config.http();
        Router root = Router.router(vertx);
        root.route().handler(rc -> {
            rc.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
            rc.next();
        });

        root.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(
                HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()))));
        root.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(
                HealthChecks.create(vertx).register("migration-desk", 2_000, p -> desk.readiness()
                        .onSuccess(r -> p.complete(readinessStatus(r)))
                        .onFailure(p::fail))));
        root.get("/openapi.yaml").handler(rc -> rc.response()
                .putHeader("content-type", "application/yaml; charset=utf-8").end(contractText));

        BearerGate gate = new BearerGate(config.api().tokens());
        Handler<RoutingContext> scrape = PrometheusScrapingHandler.create(registry);
        if (config.api().metricsPublic()) {
            root.get("/metrics").handler(scrape);
        } else {
            root.get("/metrics").handler(gate).handler(scrape);
        }

        root.route("/v1/*").handler(gate);
        CreationRateLimit limit = new CreationRateLimit(config.api().createRatePerMinute(), config.api().createBurst(),
                nanoClock);
        root.post("/v1/migrations").handler(rc -> {
            long waitSeconds = limit.take(BearerGate.caller(rc).name());
            if (waitSeconds > 0) {
                rc.response().putHeader("Retry-After", Long.toString(waitSeconds));
                Problem.of(429, "Too Many Requests", "token '" + BearerGate.caller(rc).name()
                        + "' started too many migrations; retry in " + waitSeconds + " s").send(rc);
                return;
            }
            rc.next();
        });
        // Bodies are read only after authentication, and never beyond the limit (413).
        root.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
        root.route("/*").subRouter(apiRouter(contract));

        root.route().failureHandler(this::failure);
        root.errorHandler(404, rc -> Problem.of(404, "Not Found", "no resource " + rc.request().path()).send(rc));
        root.errorHandler(405, rc -> Problem.of(405, "Method Not Allowed",
                rc.request().method() + " is not allowed on " + rc.request().path()).send(rc));
        return root;
    }

    private Router apiRouter(OpenAPIContract contract) {
        MigrationRoutes routes = new MigrationRoutes(desk, config.http());
        RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
        Map<String, Handler<RoutingContext>> operations = Map.of(
                "startMigration", routes::start,
                "listMigrations", routes::list,
                "getMigration", routes::get,
                "cancelMigration", routes::cancel,
                "streamMigrationEvents", routes::events,
                "listDevices", routes::devices,
                "getVm", routes::vm);
        for (OpenAPIRoute route : builder.getRoutes()) {
            String operationId = route.getOperation().getOperationId();
            Handler<RoutingContext> handler = operations.get(operationId);
            if (handler == null) {
                throw new IllegalStateException("openapi.yaml has operation " + operationId + " with no handler");
            }
            // Authentication is the bearer gate's, in front of this router, for every operation.
            route.setDoSecurity(false).addHandler(handler).addFailureHandler(this::failure);
        }
        return builder.createRouter();
    }

    private static Status readinessStatus(Readiness r) {
        JsonObject data = new JsonObject().put("stateRebuilt", r.stateRebuilt())
                .put("partitionsAssigned", r.partitionsAssigned()).put("detail", r.detail());
        return r.ready() ? Status.OK(data) : Status.KO(data);
    }

    private void failure(RoutingContext rc) {
        Throwable failure = rc.failure();
        Optional<Problem> invalid = failure == null ? Optional.empty() : ValidationProblems.of(failure);
        if (invalid.isPresent()) {
            invalid.get().send(rc);
            return;
        }
        int status = rc.statusCode();
        if (status == 413) {
            Problem.of(413, "Content Too Large", "the body is larger than the limit of "
                    + config.http().bodyLimitBytes() + " bytes").send(rc);
        } else if (status >= 400 && status < 500) {
            Problem.of(status, "Client Error", "the request was refused (" + status + ")").send(rc);
        } else {
            LOG.error("request {} {} failed", rc.request().method(), rc.request().path(), failure);
            Problem.of(500, "Internal Server Error", "the request failed; the coordinator logged why").send(rc);
        }
    }
}
