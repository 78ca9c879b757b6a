/**
 * Renderers of an {@link dev.vfo.audit.AuditReport}: the human summary, one JSON document, and a
 * self-contained HTML page with one swimlane per device. Contract: output only, no decisions; the
 * HTML loads nothing from anywhere (inline CSS and SVG, no script, no font).
 */
package dev.vfo.audit.render;
