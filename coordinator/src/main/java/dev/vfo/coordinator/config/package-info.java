/**
 * The coordinator's one configuration object, {@link dev.vfo.coordinator.config.CoordinatorConfig},
 * built from environment variables and an optional settings file ({@code VFO_CONFIG_FILE},
 * systemd {@code EnvironmentFile=} syntax), the environment overriding the file, through the
 * shared {@link dev.vfo.schemas.settings.Settings} (the agent reads its settings the same way).
 *
 * <p>Contract: every setting has a default and a {@code VFO_} name, listed in
 * {@link dev.vfo.coordinator.config.Setting}; loading checks everything at once and fails with
 * one error naming every bad setting, so a misconfigured instance never starts half-right.
 * Secrets (API tokens, Kafka passwords) never appear in {@code toString}.
 */
package dev.vfo.coordinator.config;
