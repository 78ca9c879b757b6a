package dev.vfo.schemas.settings;

import java.util.Objects;

/**
 * One setting of a process: its {@code VFO_*} variable (the one name it has in a file, the
 * environment, a systemd unit and a Kubernetes manifest), its default (empty: unset) and what it
 * does. Each process lists its settings as an enum implementing this, each constant holding its
 * {@link Spec}.
 */
public interface Definition {
    Spec spec();

    default String variable() {
        return spec().variable();
    }

    default String defaultValue() {
        return spec().defaultValue();
    }

    default String description() {
        return spec().description();
    }

    /** What a setting is; {@code defaultValue} empty means unset (or derived from another setting). */
    record Spec(String variable, String defaultValue, String description) {
        public Spec {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(description, "description");
            if (!variable.startsWith("VFO_")) {
                throw new IllegalArgumentException(variable + ": a vfo setting's name starts with VFO_");
            }
        }
    }
}
