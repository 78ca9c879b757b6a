package dev.vfo.coordinator.config;

import dev.vfo.coordinator.security.TokenRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The coordinator's configuration: one typed value per process, built by {@link #load(Map)} from
 * the environment (and the file it names) or by {@link #from(Map)} from plain settings in tests.
 */
public record CoordinatorConfig(HttpSettings http, ApiSettings api, KafkaSettings kafka, LogFormat logFormat) {
    /** Variable prefixes this process owns: an unknown name under them is a typo, not someone else's. */
    private static final List<String> OWNED_PREFIXES = List.of("VFO_HTTP_", "VFO_API_", "VFO_SSE_", "VFO_METRICS_");

    public CoordinatorConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(logFormat, "logFormat");
    }

    /** The defaults, as if no variable were set. */
    public static CoordinatorConfig defaults() {
        return from(Map.of());
    }

    /**
     * From {@code environment} (pass {@code System.getenv()}), after the properties file named by
     * {@code VFO_CONFIG_FILE}, if any: a variable overrides the same key in the file.
     */
    public static CoordinatorConfig load(Map<String, String> environment) {
        String file = environment.getOrDefault(Setting.CONFIG_FILE.variable(), "").strip();
        Map<String, String> merged = new HashMap<>();
        if (!file.isEmpty()) {
            merged.putAll(readFile(Path.of(file)));
        }
        merged.putAll(environment);
        return from(merged);
    }

    /** From settings alone (no file, no environment): what tests use. */
    public static CoordinatorConfig from(Map<String, String> settings) {
        Reader r = new Reader(settings);
        r.rejectUnknown();
        Optional<TlsSettings> tls = r.tls();
        HttpSettings http = new HttpSettings(
                r.text(Setting.HTTP_HOST),
                r.integer(Setting.HTTP_PORT, 0, 65535),
                r.integer(Setting.HTTP_BODY_LIMIT_BYTES, 256, 64 * 1024 * 1024),
                tls,
                Duration.ofMillis(r.integer(Setting.SSE_HEARTBEAT_MS, 10, 3_600_000)),
                r.integer(Setting.SSE_MAX_PENDING_EVENTS, 1, 1_000_000));
        ApiSettings api = new ApiSettings(
                r.tokens(),
                r.decimal(Setting.API_CREATE_RATE_PER_MINUTE, 0.001, 1_000_000),
                r.integer(Setting.API_CREATE_BURST, 1, 1_000_000),
                r.bool(Setting.METRICS_PUBLIC));
        KafkaSettings kafka = new KafkaSettings(r.text(Setting.INSTANCE_ID), r.kafkaProperties());
        LogFormat logFormat = r.choice(Setting.LOG_FORMAT, LogFormat.class, LogFormat.PLAIN);
        r.throwIfErrors();
        return new CoordinatorConfig(http, api, kafka, logFormat);
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(Setting.CONFIG_FILE.variable() + ": cannot read " + file + ": " + e, e);
        }
        Map<String, String> m = new HashMap<>();
        // EnvironmentFile= allows quoted values; Properties keeps the quotes, so strip them.
        p.forEach((k, v) -> m.put(k.toString().strip(), unquote(v.toString().strip())));
        return m;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Reads settings and collects every problem, so one failed start lists them all. */
    private static final class Reader {
        private final Map<String, String> settings;
        private final List<String> errors = new ArrayList<>();

        Reader(Map<String, String> settings) {
            this.settings = settings;
        }

        void rejectUnknown() {
            Set<String> known = EnumSet.allOf(Setting.class).stream().map(Setting::variable).collect(Collectors.toSet());
            new TreeMap<>(settings).keySet().stream()
                    .filter(k -> OWNED_PREFIXES.stream().anyMatch(k::startsWith) && !known.contains(k))
                    .forEach(k -> errors.add(k + ": unknown setting"));
        }

        String text(Setting s) {
            String v = settings.get(s.variable());
            return v == null || v.isBlank() ? s.defaultValue() : v.strip();
        }

        Optional<String> optional(Setting s) {
            String v = text(s);
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }

        int integer(Setting s, int min, int max) {
            return parsed(s, Integer::parseInt, Integer.parseInt(s.defaultValue()), v -> v >= min && v <= max,
                    "an integer from " + min + " to " + max);
        }

        double decimal(Setting s, double min, double max) {
            return parsed(s, Double::parseDouble, Double.parseDouble(s.defaultValue()), v -> v >= min && v <= max,
                    "a number from " + min + " to " + max);
        }

        boolean bool(Setting s) {
            String v = text(s).toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return Boolean.parseBoolean(v);
            }
            errors.add(s.variable() + ": '" + v + "' is not true or false");
            return Boolean.parseBoolean(s.defaultValue());
        }

        <E extends Enum<E>> E choice(Setting s, Class<E> type, E fallback) {
            String v = text(s);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            errors.add(s.variable() + ": '" + v + "' is not one of "
                    + EnumSet.allOf(type).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
            return fallback;
        }

        private <T> T parsed(Setting s, Function<String, T> parse, T fallback, java.util.function.Predicate<T> ok,
                String expected) {
            String v = text(s);
            try {
                T t = parse.apply(v);
                if (ok.test(t)) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
            errors.add(s.variable() + ": '" + v + "' is not " + expected);
            return fallback;
        }

        Optional<TlsSettings> tls() {
            Optional<Path> cert = readablePath(Setting.HTTP_TLS_CERT);
            Optional<Path> key = readablePath(Setting.HTTP_TLS_KEY);
            Optional<Path> ca = readablePath(Setting.HTTP_TLS_CLIENT_CA);
            if (cert.isPresent() != key.isPresent()) {
                errors.add(Setting.HTTP_TLS_CERT.variable() + " and " + Setting.HTTP_TLS_KEY.variable()
                        + " must be set together");
                return Optional.empty();
            }
            if (ca.isPresent() && cert.isEmpty()) {
                errors.add(Setting.HTTP_TLS_CLIENT_CA.variable() + " needs TLS: set "
                        + Setting.HTTP_TLS_CERT.variable() + " and " + Setting.HTTP_TLS_KEY.variable());
                return Optional.empty();
            }
            return cert.map(c -> new TlsSettings(c, key.orElseThrow(), ca));
        }

        private Optional<Path> readablePath(Setting s) {
            Optional<Path> p = optional(s).map(Path::of);
            if (p.isPresent() && !Files.isReadable(p.get())) {
                errors.add(s.variable() + ": cannot read " + p.get());
            }
            return p;
        }

        TokenRegistry tokens() {
            TokenRegistry tokens = TokenRegistry.empty();
            try {
                Optional<String> inline = optional(Setting.API_TOKENS);
                if (inline.isPresent()) {
                    tokens = TokenRegistry.parse(inline.get(), Setting.API_TOKENS.variable());
                }
                Optional<Path> file = readablePath(Setting.API_TOKEN_FILE);
                if (file.isPresent() && Files.isReadable(file.get())) {
                    String text = Files.readString(file.get(), StandardCharsets.UTF_8);
                    tokens = tokens.with(TokenRegistry.parse(text, file.get().toString()));
                }
            } catch (IllegalArgumentException | IOException e) {
                errors.add(e.getMessage());
            }
            return tokens;
        }

        Map<String, String> kafkaProperties() {
            Map<String, String> props = new TreeMap<>();
            settings.forEach((k, v) -> {
                if (k.startsWith(KafkaSettings.PREFIX) && k.length() > KafkaSettings.PREFIX.length()) {
                    props.put(KafkaSettings.propertyName(k), v.strip());
                }
            });
            return props;
        }

        void throwIfErrors() {
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid coordinator configuration:\n  " + String.join("\n  ", errors));
            }
        }
    }
}
