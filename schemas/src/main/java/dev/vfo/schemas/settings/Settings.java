package dev.vfo.schemas.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The settings of one process being read: the file's values overlaid by the environment, and every
 * problem found so far. Each typed read returns a usable value (the default when the given one is
 * bad) and records the problem, so one {@link #throwIfInvalid} reports all of them at once.
 * Not thread-safe: one reader per load.
 */
public final class Settings {
    /** Names the settings file; in the environment only (a file cannot name another file). */
    public static final String CONFIG_FILE = "VFO_CONFIG_FILE";

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    private Settings(Map<String, String> values, List<String> problems) {
        this.values = Map.copyOf(values);
        this.problems.addAll(problems);
    }

    /** Plain settings, no file: what tests and embedded processes (the demo) use. */
    public static Settings of(Map<String, String> settings) {
        return new Settings(settings, List.of());
    }

    /**
     * The file ({@code file}, else the one {@code VFO_CONFIG_FILE} names, else none), then the
     * environment over it. A bad line of the file is a problem reported with the rest; an
     * unreadable file fails at once.
     */
    public static Settings load(Map<String, String> environment, Optional<Path> file) {
        Optional<Path> named = file.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE)).map(String::strip)
                .filter(f -> !f.isEmpty()).map(Path::of));
        Map<String, String> merged = new HashMap<>();
        List<String> problems = new ArrayList<>();
        named.ifPresent(f -> {
            EnvironmentFile read = EnvironmentFile.read(f);
            merged.putAll(read.values());
            problems.addAll(read.problems());
        });
        merged.putAll(environment);
        return new Settings(merged, problems);
    }

    /**
     * Records an unknown variable under one of {@code owned} prefixes (those the process owns: a
     * name there that it does not know is a typo, not another program's variable).
     */
    public void rejectUnknown(Collection<String> owned, Collection<? extends Definition> known) {
        Set<String> names = known.stream().map(Definition::variable).collect(Collectors.toSet());
        new TreeSet<>(values.keySet()).stream()
                .filter(k -> owned.stream().anyMatch(k::startsWith) && !names.contains(k))
                .forEach(k -> problems.add(k + ": unknown setting"));
    }

    /** The known settings of an enum, for {@link #rejectUnknown}. */
    public static <E extends Enum<E> & Definition> Set<E> all(Class<E> type) {
        return EnumSet.allOf(type);
    }

    /** The value, stripped; the default when unset or blank. */
    public String text(Definition d) {
        String v = values.get(d.variable());
        return v == null || v.isBlank() ? d.defaultValue() : v.strip();
    }

    /** The value, or empty when unset, blank and without a default. */
    public Optional<String> optional(Definition d) {
        String v = text(d);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public int integer(Definition d, int min, int max) {
        return parsed(d, Integer::parseInt, v -> v >= min && v <= max, "an integer from " + min + " to " + max);
    }

    public long longInteger(Definition d, long min, long max) {
        return parsed(d, Long::parseLong, v -> v >= min && v <= max, "an integer from " + min + " to " + max);
    }

    public double decimal(Definition d, double min, double max) {
        return parsed(d, Double::parseDouble, v -> v >= min && v <= max, "a number from " + min + " to " + max);
    }

    public boolean bool(Definition d) {
        String v = text(d).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        problem(d, "'" + v + "' is not true or false");
        return Boolean.parseBoolean(d.defaultValue());
    }

    /** A positive duration: {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    public Duration duration(Definition d) {
        return parsed(d, Settings::parseDuration, v -> !v.isNegative() && !v.isZero(),
                "a positive duration (500ms, 10s, 2m or PT10S)");
    }

    /** One of {@code type}'s constants, by name, ignoring case. */
    public <E extends Enum<E>> E choice(Definition d, Class<E> type) {
        String v = text(d);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        problem(d, "'" + v + "' is not one of "
                + EnumSet.allOf(type).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        return Enum.valueOf(type, d.defaultValue().toUpperCase(Locale.ROOT));
    }

    /**
     * A value {@code parse} makes sense of; a problem (with the exception's message) and {@code
     * fallback} when it cannot.
     */
    public <T> T value(Definition d, Function<String, T> parse, T fallback) {
        String v = text(d);
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            problem(d, "'" + Secrets.shown(d.variable(), v) + "': "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return fallback;
        }
    }

    /** A path that must be readable when set. */
    public Optional<Path> readablePath(Definition d) {
        Optional<Path> p = optional(d).map(Path::of);
        if (p.isPresent() && !Files.isReadable(p.get())) {
            problem(d, "cannot read " + p.get());
        }
        return p;
    }

    /** The {@code VFO_KAFKA_*} settings as client properties. */
    public KafkaPassThrough kafka() {
        return KafkaPassThrough.of(values);
    }

    /** A problem with one setting. */
    public void problem(Definition d, String reason) {
        problems.add(d.variable() + ": " + reason);
    }

    /** A problem that is not one setting's (two that must be set together, say). */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Fails with every problem recorded, if there is any. */
    public void throwIfInvalid(String process) {
        if (!problems.isEmpty()) {
            throw new InvalidSettings(process, problems);
        }
    }

    private <T> T parsed(Definition d, Function<String, T> parse, Predicate<T> ok, String expected) {
        String v = text(d);
        try {
            T t = parse.apply(v);
            if (ok.test(t)) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expected form (NumberFormatException is one)
        }
        problem(d, "'" + Secrets.shown(d.variable(), v) + "' is not " + expected);
        return parse.apply(d.defaultValue());
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(text.strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (use 500ms, 10s, 2m or PT10S)");
        }
    }
}
