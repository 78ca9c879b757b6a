package dev.vfo.coordinator.http;

import io.vertx.core.json.DecodeException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI validator's failures into problems that name the bad field. The validator
 * reports body errors as JSON-schema output units (instance location + message) and parameter
 * errors only in its message text; both are mapped to one pointer form, {@code /body/...} or
 * {@code /<in>/<name>}, so a client can point at the field without parsing prose.
 */
final class ValidationProblems {
    private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter (\\S+?)[ .]");
    private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"' ]+)");
    private static final Pattern ADDITIONAL = Pattern.compile("[Pp]roperty \"?'?([^\"' ]+)\"?'? .*additional");

    private ValidationProblems() {}

    static Optional<Problem> of(Throwable failure) {
        if (failure instanceof DecodeException) {
            return Optional.of(Problem.badField("/body", "the body is not valid JSON: " + failure.getMessage()));
        }
        if (failure instanceof JsonRepresentation.InvalidField) {
            JsonRepresentation.InvalidField f = (JsonRepresentation.InvalidField) failure;
            return Optional.of(Problem.badField(f.field(), f.getMessage()));
        }
        if (!(failure instanceof ValidatorException)) {
            return Optional.empty();
        }
        ValidatorException e = (ValidatorException) failure;
        Matcher parameter = PARAMETER.matcher(e.getMessage());
        if (parameter.find()) {
            String field = "/" + parameter.group(1) + "/" + parameter.group(2);
            return Optional.of(Problem.badField(field, field + ": " + reason(e)));
        }
        if (e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT || e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
                && !(e instanceof SchemaValidationException)) {
            return Optional.of(Problem.badField("/body", e.getMessage()));
        }
        if (e instanceof SchemaValidationException) {
            OutputUnit unit = mostSpecific(((SchemaValidationException) e).getOutputUnit());
            String field = "/body" + pointer(unit);
            return Optional.of(Problem.badField(field, field + ": " + Optional.ofNullable(unit.getError()).orElse(e.getMessage())));
        }
        return Optional.of(Problem.badField("/body", e.getMessage()));
    }

    private static String reason(ValidatorException e) {
        if (e instanceof SchemaValidationException) {
            OutputUnit unit = mostSpecific(((SchemaValidationException) e).getOutputUnit());
            if (unit.getError() != null) {
                return unit.getError();
            }
        }
        return e.getMessage();
    }

    /**
     * The error deepest in the instance: a schema failure reports every enclosing object too
     * ("properties did not match"), and the innermost one is the one the client must fix.
     */
    private static OutputUnit mostSpecific(OutputUnit root) {
        List<OutputUnit> errors = root.getErrors();
        if (errors == null || errors.isEmpty()) {
            return root;
        }
        return errors.stream()
                .max(Comparator.comparingInt((OutputUnit u) -> depth(pointer(u)))
                        .thenComparingInt(u -> u.getError() == null ? 0 : 1))
                .orElse(root);
    }

    /** The unit's instance location, extended by the property a "required" or "additional" error names. */
    private static String pointer(OutputUnit unit) {
        String location = Optional.ofNullable(unit.getInstanceLocation()).orElse("");
        if (location.startsWith("#")) {
            location = location.substring(1);
        }
        if (location.equals("/")) {
            location = "";
        }
        String error = Optional.ofNullable(unit.getError()).orElse("");
        for (Pattern p : List.of(REQUIRED, ADDITIONAL)) {
            Matcher m = p.matcher(error);
            if (m.find() && !location.endsWith("/" + m.group(1))) {
                return location + "/" + m.group(1);
            }
        }
        return location;
    }

    private static int depth(String pointer) {
        return (int) pointer.chars().filter(c -> c == '/').count();
    }
}
