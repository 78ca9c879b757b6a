package dev.vfo.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the results: a benchmark of a section, its measured values (the key names the unit,
 * e.g. {@code p99_ms}, {@code events_per_s}), the target it is held against if the issue sets one,
 * and a note (settings, caveats). A row that could not run carries the reason instead of values.
 */
public record Row(String section, String name, Map<String, Double> values, Optional<Target> target,
        Optional<String> notRun, String note) {

    public Row {
        Objects.requireNonNull(section);
        Objects.requireNonNull(name);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Objects.requireNonNull(target);
        Objects.requireNonNull(notRun);
        Objects.requireNonNull(note);
        if (notRun.isPresent() != values.isEmpty()) {
            throw new IllegalArgumentException(name + ": a row has values or a reason it did not run, not both");
        }
    }

    public static Row measured(String section, String name, Map<String, Double> values, String note) {
        return new Row(section, name, values, Optional.empty(), Optional.empty(), note);
    }

    public static Row notRun(String section, String name, String reason, Optional<Target> target) {
        return new Row(section, name, Map.of(), target, Optional.of(reason), "");
    }

    public Row against(Target t) {
        return new Row(section, name, values, Optional.of(t), notRun, note);
    }

    /** "met", "missed", or "n/a" when there is no target or no value to hold against it. */
    public String verdict() {
        if (target.isEmpty() || notRun.isPresent() || !values.containsKey(target.get().metric())) {
            return "n/a";
        }
        return target.get().met(values.get(target.get().metric())) ? "met" : "missed";
    }

    /**
     * A target of the issue on one of the row's values.
     *
     * @param atMost true for a ceiling (p99 ratio, bytes), false for a floor (events/s, ratio to raw)
     */
    public record Target(String metric, double limit, boolean atMost, String text) {
        public Target {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(text);
        }

        public static Target atMost(String metric, double limit, String text) {
            return new Target(metric, limit, true, text);
        }

        public static Target atLeast(String metric, double limit, String text) {
            return new Target(metric, limit, false, text);
        }

        boolean met(double value) {
            return atMost ? value <= limit : value >= limit;
        }
    }
}
