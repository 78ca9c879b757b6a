package dev.vfo.audit.cli;

import picocli.CommandLine.Command;

/** {@code vfo audit}: replay the log and verify it ({@code verify}), or export it for later ({@code export}). */
@Command(
        name = "audit",
        description = {
            "Replay the log and prove, from the log alone, what happened to every device of every VM and that the"
                    + " orchestrator never broke the P2P rules; or export everything the audit needs to an Avro file."
        },
        subcommands = {VerifyCommand.class, ExportCommand.class})
public final class AuditCommand {}
