package dev.vfo.coordinator.security;

import java.util.Objects;

/** An authenticated caller: the name its token was issued under, and its role. */
public record Caller(String name, Role role) {
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
