package dev.vfo.agent.config;

/** A setting that cannot be used, naming the key, the value and why. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String key, String value, String reason) {
        super("setting " + key + " (env " + AgentConfig.envName(key) + ") = '" + value + "': " + reason);
    }
}
