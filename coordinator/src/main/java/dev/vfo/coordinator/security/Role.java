package dev.vfo.coordinator.security;

import java.util.Locale;

/** What a token may do. Roles are ordered: an operator may do everything a viewer may. */
public enum Role {
    /** Reads migrations, devices, VMs, events and metrics. */
    VIEWER,
    /** Also starts and cancels migrations. */
    OPERATOR;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role named {@code text} (case-insensitive), or an error listing the known roles. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "'; roles are viewer and operator");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
