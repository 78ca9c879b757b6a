/**
 * The agent's one configuration object, {@link dev.vfo.agent.config.AgentConfig}: every setting has
 * a default, comes from a properties file and is overridden by the environment ({@code VFO_*}).
 * Invalid values are refused at load time with the key and the reason, never at first use.
 */
package dev.vfo.agent.config;
