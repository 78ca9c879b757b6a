package dev.vfo.coordinator.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    private static final Set<String> STRUCTURAL = Set.of("properties", "$ref", "items", "prefixItems",
            "additionalProperties", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "unevaluatedProperties");

    private ValidationProblems() {}

    static Optional<Problem> of(Throwable failure) {
        if (failure instanceof HttpException && failure.getCause() != null) {
            // The router wraps the validator's exception in a 400.
            return of(failure.getCause());
        }
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
            Finding finding = mostSpecific(((SchemaValidationException) e).getOutputUnit());
            String field = "/body" + finding.pointer();
            return Optional.of(Problem.badField(field, field + ": " + finding.message()));
        }
        return Optional.of(Problem.badField("/body", e.getMessage()));
    }

    private static String reason(ValidatorException e) {
        if (e instanceof SchemaValidationException) {
            return mostSpecific(((SchemaValidationException) e).getOutputUnit()).message();
        }
        return e.getMessage();
    }

    /**
     * The error the client must fix. A schema failure reports every enclosing level too
     * ("Property policy does not match schema", "A subschema had errors"), and an object with
     * {@code additionalProperties: false} also reports each failing declared property as
     * "additional". So: take the deepest instance location, and there prefer the error of a
     * constraint keyword (type, pattern, maxItems, required ...) over the structural ones; only
     * when none is left is the property really undeclared.
     */
    private record Finding(String pointer, String message) {}

    private static Finding mostSpecific(OutputUnit root) {
        List<OutputUnit> errors = root.getErrors();
        if (errors == null || errors.isEmpty()) {
            return new Finding(pointer(root), explained(Optional.ofNullable(root.getError()).orElse("invalid")));
        }
        int deepest = errors.stream().mapToInt(u -> depth(pointer(u))).max().orElse(0);
        List<OutputUnit> candidates = errors.stream().filter(u -> depth(pointer(u)) == deepest).toList();
        return candidates.stream().filter(u -> !STRUCTURAL.contains(lastKeyword(u))).findFirst()
                .map(u -> new Finding(pointer(u), explained(Optional.ofNullable(u.getError()).orElse("invalid"))))
                .or(() -> candidates.stream().filter(u -> lastKeyword(u).equals("additionalProperties")).findFirst()
                        .map(u -> new Finding(pointer(u),
                                "not a property of this object; undeclared properties are refused")))
                .orElse(new Finding(pointer(candidates.get(0)),
                        Optional.ofNullable(candidates.get(0).getError()).orElse("invalid")));
    }

    /** The validator says only "String does not match pattern"; every pattern in the contract is the id rule. */
    private static String explained(String message) {
        return message.equals("String does not match pattern")
                ? message + " (ids are 1 to 128 of letters, digits and . _ : / -)"
                : message;
    }

    private static String lastKeyword(OutputUnit u) {
        String k = Optional.ofNullable(u.getKeywordLocation()).orElse("");
        return k.substring(k.lastIndexOf('/') + 1);
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
