package dev.vfo.coordinator.http;

import dev.vfo.coordinator.security.Caller;
import dev.vfo.coordinator.security.Role;
import dev.vfo.coordinator.security.TokenRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Lets a request through when it carries a known bearer token whose role may use the method:
 * reads (GET, HEAD) need a viewer, everything else an operator. Every write in this API is an
 * operator action (start, cancel), so the method decides the role before the request is even
 * routed and a viewer's malformed write gets 403, not a validation lesson.
 */
final class BearerGate implements Handler<RoutingContext> {
    static final String CALLER = "vfo.caller";
    private static final String SCHEME = "bearer ";

    private final TokenRegistry tokens;

    BearerGate(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    public void handle(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"vfo\"");
            Problem.of(401, "Unauthorized", "send Authorization: Bearer <token>").send(rc);
            return;
        }
        Optional<Caller> caller = tokens.authenticate(header.substring(SCHEME.length()).strip());
        if (caller.isEmpty()) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"vfo\", error=\"invalid_token\"");
            Problem.of(401, "Unauthorized", "the bearer token is not known").send(rc);
            return;
        }
        Role needed = requiredRole(rc.request().method());
        if (!caller.get().role().allows(needed)) {
            Problem.of(403, "Forbidden", "token '" + caller.get().name() + "' has role " + caller.get().role().label()
                    + "; " + rc.request().method() + " " + rc.request().path() + " needs " + needed.label()).send(rc);
            return;
        }
        rc.put(CALLER, caller.get());
        rc.next();
    }

    static Role requiredRole(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? Role.VIEWER : Role.OPERATOR;
    }

    static Caller caller(RoutingContext rc) {
        Caller c = rc.get(CALLER);
        if (c == null) {
            throw new IllegalStateException("route is not behind the bearer gate: " + rc.request().path());
        }
        return c;
    }
}
