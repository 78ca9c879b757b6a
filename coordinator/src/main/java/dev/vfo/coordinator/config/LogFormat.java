package dev.vfo.coordinator.config;

/** How the process logs: human-readable lines, or one JSON object per line for log shippers. */
public enum LogFormat {
    PLAIN,
    JSON
}
