/**
 * How a vfo process reads its settings: the one mechanism behind each process's own configuration
 * object (the agent's {@code AgentConfig}, the coordinator's {@code CoordinatorConfig}).
 *
 * <p>Contract: a setting has one name everywhere, a {@code VFO_*} variable ({@link
 * dev.vfo.schemas.settings.Definition}). The sources, lowest precedence first: the setting's
 * default; a file of {@code VFO_KEY=value} lines in systemd {@code EnvironmentFile=} syntax
 * ({@link dev.vfo.schemas.settings.EnvironmentFile}, named by {@code VFO_CONFIG_FILE} or an
 * option), so the same file serves systemd, Kubernetes env and the process itself; the
 * environment. An unknown name under a prefix the process owns is an error (a typo must not leave a
 * default silently in force); names outside those prefixes belong to someone else and are ignored.
 * {@link dev.vfo.schemas.settings.Settings} collects every problem, with the file's line numbers,
 * and fails once with all of them, so a misconfigured process never starts half-right. Every
 * {@code VFO_KAFKA_X_Y} is the Kafka client property {@code x.y} ({@link
 * dev.vfo.schemas.settings.KafkaPassThrough}); the properties a process's guarantees rest on are
 * forced over it. Secret values (passwords, JAAS lines, keys, tokens) never appear in a message or
 * a {@code toString} ({@link dev.vfo.schemas.settings.Secrets}).
 */
package dev.vfo.schemas.settings;
