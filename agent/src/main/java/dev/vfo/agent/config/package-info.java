/**
 * The agent's one configuration object, {@link dev.vfo.agent.config.AgentConfig}: every setting
 * ({@link dev.vfo.agent.config.AgentSetting}) has a {@code VFO_*} name and a default, and is read
 * from a settings file of {@code VFO_KEY=value} lines (systemd {@code EnvironmentFile=} syntax),
 * overridden by the environment, through the shared {@link dev.vfo.schemas.settings.Settings} (the
 * coordinator reads its settings the same way). Invalid values are refused at load time, all at
 * once, each with its variable and the reason, never at first use.
 */
package dev.vfo.agent.config;
