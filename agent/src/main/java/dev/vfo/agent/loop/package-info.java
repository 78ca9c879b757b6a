/**
 * The agent's Kafka loop: consumes only this host's command topic, carries out each command on
 * the host's devices one kernel arc at a time, and reports every arc, failure, transfer and
 * heartbeat to the device-events topic. Guarantees (see DESIGN.md in this package): an applied
 * command is re-reported, never re-executed, across restarts; per-device event sequences are
 * gap-free and never reused; commands of an older coordinator epoch, or past their deadline, are
 * refused; a device-state stream asked for again under a new command id (a coordinator takeover)
 * is adopted, never restarted, and answers the newest id; undecodable commands are dead-lettered;
 * on shutdown no device is left mid-arc without an event saying where it is.
 */
package dev.vfo.agent.loop;
