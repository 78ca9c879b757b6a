package dev.vfo.audit;

import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.codec.LoggedRecord;
import dev.vfo.schemas.deadletter.DeadLetter;
import dev.vfo.schemas.deadletter.DeadLetters;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Judges what the product did with undecodable records of the audited topics, not what was written
 * into them: an undecodable record (a <em>suspect</em>) is fine when a dead letter claims its exact
 * origin (topic, partition, offset) with the same key and value bytes ({@link DeadLetters}' format):
 * it is quarantined. A suspect no letter claims by the end of the audited range was not set aside
 * ({@link AuditRule#UNDECODABLE_RECORD}); a letter that claims a record of an audited topic which is
 * not an undecodable record with its bytes is a forged or wrong letter
 * ({@link AuditRule#FORGED_DEAD_LETTER}). Letters for other topics (commands) are counted, not judged.
 *
 * <p>Either side may come first: in audit order the letters follow every audited record, but
 * {@link PartitionedAudit} reads letters on its own thread while workers still decode, so both
 * wait here for each other (synchronized: one quarantine is shared by a partitioned audit's
 * engines). Memory: suspects and letters are kept as a SHA-256 of their key and value, at most
 * {@value #WAITING} of each waiting and {@value #WAITING} matched origins remembered (to recognise a
 * re-delivered letter: a consumer that crashes between letter and commit writes it again). Past a
 * bound the eldest is judged at once, as if the audited range ended there: a suspect as not
 * dead-lettered, a letter as claiming nothing; so a flood of garbage can fail the audit but never
 * pass it unchecked.
 */
final class Quarantine {

    static final int WAITING = 10_000;

    private static final Comparator<RecordRef> BY_POSITION = Comparator.comparing(RecordRef::topic)
            .thenComparingInt(RecordRef::partition).thenComparingLong(RecordRef::offset);

    private record Suspect(RecordRef ref, Optional<VmId> vm, byte[] digest, String finding) {}

    private record Letter(RecordRef ref, RecordRef origin, byte[] digest, String reason) {}

    private final Set<String> audited;
    private final LinkedHashMap<RecordRef, Suspect> suspects = new LinkedHashMap<>();
    private final LinkedHashMap<RecordRef, Letter> letters = new LinkedHashMap<>();
    private final LinkedHashMap<RecordRef, byte[]> matched = new LinkedHashMap<>();
    private final List<QuarantinedRecord> quarantined = new ArrayList<>();
    private long quarantinedCount;
    private final List<AuditViolation> findings = new ArrayList<>();
    private long findingCount;

    /** @param audited the topics whose records the audit decodes (device events, coordinator log) */
    Quarantine(Set<String> audited) {
        this.audited = Set.copyOf(audited);
    }

    /** An undecodable record of an audited topic. */
    synchronized void suspect(LoggedRecord r, Optional<VmId> vm, String finding) {
        Suspect s = new Suspect(RecordRef.of(r), vm, digest(r.key(), r.value()), finding);
        Letter claim = letters.remove(s.ref());
        if (claim != null && Arrays.equals(claim.digest(), s.digest())) {
            quarantine(s, claim);
            return;
        }
        if (claim != null) {
            found(differs(s, claim));
        }
        suspects.put(s.ref(), s);
        if (suspects.size() > WAITING) {
            found(notDeadLettered(evictEldest(suspects), "more than " + WAITING
                    + " undecodable records were waiting for their dead letters; this one was judged before its letter"
                    + " could be read"));
        }
    }

    /** A record of the dead-letter topic. */
    synchronized void letter(LoggedRecord r) {
        Optional<DeadLetter> read = DeadLetters.read(asConsumed(r));
        if (read.isEmpty() || !audited.contains(read.get().topic())) {
            return; // not a letter (no origin headers) or about a topic the audit does not decode: counted only
        }
        DeadLetter dl = read.get();
        Letter l = new Letter(RecordRef.of(r), new RecordRef(dl.topic(), dl.partition(), dl.offset()),
                digest(dl.key(), dl.value()), dl.reason() + (dl.detail().isEmpty() ? "" : ": " + dl.detail()));
        byte[] before = matched.get(l.origin());
        if (before != null && Arrays.equals(before, l.digest())) {
            return; // a re-delivered letter for a record already quarantined
        }
        Suspect s = suspects.get(l.origin());
        if (s != null && Arrays.equals(s.digest(), l.digest())) {
            suspects.remove(l.origin());
            quarantine(s, l);
        } else if (s != null) {
            found(differs(s, l));
        } else {
            letters.put(l.origin(), l);
            if (letters.size() > WAITING) {
                found(claimsNothing(evictEldest(letters), "more than " + WAITING
                        + " dead letters were waiting for their records; this one was judged before its record was read"));
            }
        }
    }

    /** What the quarantine found: the first {@value AuditEngine#KEPT_VIOLATIONS} violations in full, all counted. */
    record Findings(List<AuditViolation> kept, long count) {}

    /**
     * The end of the audited range: every suspect left was not dead-lettered; every letter left
     * claims a record that decodes or is not in the log, judged only when the log was read from its
     * start (with {@code --since} its record may precede the range). All findings come out here,
     * ordered by the record they point at, not by when they were found: a partitioned audit's
     * threads find them in any interleaving.
     */
    synchronized Findings finish(boolean fromStart) {
        suspects.values().forEach(s -> found(notDeadLettered(s, "no dead letter claims it")));
        suspects.clear();
        if (fromStart) {
            letters.values().forEach(l -> found(claimsNothing(l, "the record there decodes or is not in the log")));
        }
        letters.clear();
        List<AuditViolation> kept = new ArrayList<>(findings);
        kept.sort(Comparator.comparing((AuditViolation v) -> v.records().get(0), BY_POSITION));
        return new Findings(kept, findingCount);
    }

    private void found(AuditViolation v) {
        findingCount++;
        if (findings.size() < AuditEngine.KEPT_VIOLATIONS) {
            findings.add(v);
        }
    }

    synchronized List<QuarantinedRecord> quarantined() {
        return List.copyOf(quarantined);
    }

    synchronized long quarantinedCount() {
        return quarantinedCount;
    }

    private void quarantine(Suspect s, Letter l) {
        quarantinedCount++;
        if (quarantined.size() < AuditEngine.KEPT_VIOLATIONS) {
            quarantined.add(new QuarantinedRecord(s.ref(), l.ref(), s.vm(), l.reason(), s.finding()));
        }
        matched.put(s.ref(), s.digest());
        if (matched.size() > WAITING) {
            evictEldest(matched);
        }
    }

    private static AuditViolation notDeadLettered(Suspect s, String why) {
        return new AuditViolation(AuditRule.UNDECODABLE_RECORD, s.vm(), Optional.empty(), List.of(s.ref()),
                s.finding() + "; it was not dead-lettered (" + why + ")");
    }

    private static AuditViolation differs(Suspect s, Letter l) {
        return new AuditViolation(AuditRule.FORGED_DEAD_LETTER, s.vm(), Optional.empty(), List.of(l.ref(), s.ref()),
                "the dead letter at " + l.ref() + " claims " + s.ref() + " but its key or value bytes differ from"
                        + " the record there");
    }

    private static AuditViolation claimsNothing(Letter l, String why) {
        return new AuditViolation(AuditRule.FORGED_DEAD_LETTER, Optional.empty(), Optional.empty(), List.of(l.ref()),
                "the dead letter at " + l.ref() + " claims " + l.origin() + " is undecodable (" + l.reason()
                        + "), but no undecodable record with its bytes is there: " + why);
    }

    private static <K, V> V evictEldest(LinkedHashMap<K, V> map) {
        Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
        V eldest = it.next().getValue();
        it.remove();
        return eldest;
    }

    /** {@link DeadLetters#read} is the one reader of the letter format; it takes a consumed record. */
    private static ConsumerRecord<byte[], byte[]> asConsumed(LoggedRecord r) {
        RecordHeaders headers = new RecordHeaders();
        r.headers().forEach(h -> headers.add(h.key(), h.value().orElse(null)));
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), TimestampType.CREATE_TIME,
                -1, -1, r.key().orElse(null), r.value().orElse(null), headers, Optional.empty());
    }

    /** Key and value, each with its presence and length, so no two different pairs hash alike by framing. */
    private static byte[] digest(Optional<byte[]> key, Optional<byte[]> value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Optional<byte[]> part : List.of(key, value)) {
                sha.update(ByteBuffer.allocate(4).putInt(part.map(b -> b.length).orElse(-1)).array());
                part.ifPresent(sha::update);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
