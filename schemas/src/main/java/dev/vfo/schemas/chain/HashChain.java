package dev.vfo.schemas.chain;

import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.codec.ChainLink;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.Digest;
import dev.vfo.schemas.codec.LogCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-VM hash chain of the coordinator log, for tamper evidence: entry N of a VM carries
 * sequence N and the SHA-256 of the VM's entry N-1 exactly as written (its single-object bytes;
 * the all-zero hash for N = 1). Editing, removing, inserting or reordering an entry breaks the
 * chain at that point.
 *
 * <p>Hashing the written bytes (not a re-encoding of the decoded value) keeps the hash stable
 * across schema versions: an entry written years ago by an older version verifies under any later
 * one. Both operations are pure functions.
 */
public final class HashChain {

    private HashChain() {}

    /** An entry ready to produce: its value bytes and the VM's new head. */
    public record Appended(CoordinatorLogEntry entry, byte[] bytes, ChainHead head) {
        public Appended {
            Objects.requireNonNull(entry);
            Objects.requireNonNull(bytes);
            Objects.requireNonNull(head);
        }
    }

    /** The hash of an entry: SHA-256 over its encoded bytes as they are in the log. */
    public static Digest hash(byte[] entryBytes) {
        return Digest.sha256(entryBytes);
    }

    /** The coordinator's side: the next entry of {@code head}'s VM. */
    public static Appended append(ChainHead head, SagaEvent event) {
        CoordinatorLogEntry entry = new CoordinatorLogEntry(head.vm(), head.sequence() + 1, head.hash(), event);
        byte[] bytes = LogCodec.encode(entry);
        return new Appended(entry, bytes, new ChainHead(head.vm(), entry.sequence(), hash(bytes)));
    }

    /** The audit's side: every VM's chain in {@code entries} (log order), each from its first entry. */
    public static Verification verify(Iterable<byte[]> entries) {
        return verify(entries, Map.of());
    }

    /**
     * Verifies {@code entries} (log order; VMs interleaved) continuing from {@code heads} (VMs absent
     * there start at genesis). After a break, checking resumes from the offending entry, so each
     * tampering is reported where it happened and the rest of the chain is still checked.
     */
    public static Verification verify(Iterable<byte[]> entries, Map<VmId, ChainHead> heads) {
        Map<VmId, ChainHead> current = new HashMap<>(heads);
        List<Verification.Break> breaks = new ArrayList<>();
        int index = 0;
        for (byte[] bytes : entries) {
            Decoded<ChainLink> decoded = LogCodec.decodeChainLink(bytes);
            if (decoded instanceof Decoded.Failed) {
                breaks.add(new Verification.Break(index, Optional.empty(),
                        "entry " + index + " is not a log entry: " + ((Decoded.Failed<ChainLink>) decoded).failure()));
                index++;
                continue;
            }
            ChainLink link = decoded.orElseThrow();
            ChainHead head = current.getOrDefault(link.vm(), ChainHead.genesis(link.vm()));
            if (link.sequence() != head.sequence() + 1) {
                breaks.add(new Verification.Break(index, Optional.of(link.vm()), "entry " + index + " of " + link.vm()
                        + " has sequence " + link.sequence() + ", expected " + (head.sequence() + 1)));
            } else if (!link.previous().equals(head.hash())) {
                breaks.add(new Verification.Break(index, Optional.of(link.vm()), "entry " + index + " of " + link.vm()
                        + " (sequence " + link.sequence() + ") says the previous hash is " + link.previous()
                        + " but entry " + head.sequence() + " hashes to " + head.hash()));
            }
            current.put(link.vm(), new ChainHead(link.vm(), link.sequence(), hash(bytes)));
            index++;
        }
        return new Verification(index, breaks, current);
    }
}
