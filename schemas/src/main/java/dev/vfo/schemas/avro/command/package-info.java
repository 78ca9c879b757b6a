/** Generated Avro records of the commands to agents (topics {@code vfo.commands.<host>}); used only by the codec. */
package dev.vfo.schemas.avro.command;
