/**
 * The audit: replays the log (coordinator log, device events, dead letters; live topics via
 * {@link dev.vfo.audit.TopicLog} or an archive) through {@link dev.vfo.audit.AuditEngine} (or one
 * engine per partition number on several threads, {@link dev.vfo.audit.PartitionedAudit}) and
 * reports a verdict per migration and every violation of an {@link dev.vfo.audit.AuditRule}.
 *
 * <p>Contract: streaming (memory bounded by the fleet's size, not the log's length); a bad record
 * never stops the audit: dead-lettered with its bytes and origin it is quarantined (listed, as the
 * product handled it), otherwise it is a violation naming topic, partition and offset; the engine is
 * pure apart from its input records (no clock: "now" is passed to {@code finish}).
 */
package dev.vfo.audit;
