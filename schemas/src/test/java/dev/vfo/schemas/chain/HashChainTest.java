package dev.vfo.schemas.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.schemas.codec.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashChainTest {

    private static final VmId A = new VmId("vm-a");
    private static final VmId B = new VmId("vm-b");

    /** Two VMs' entries interleaved as in one partition, 5 each. */
    private static List<byte[]> log() {
        Map<VmId, ChainHead> heads = new HashMap<>();
        List<byte[]> log = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            VmId vm = i % 2 == 0 ? A : B;
            SagaEvent event = new SagaEvent.PhaseEntered(new MigrationId("m-" + vm), Phase.values()[i % 5],
                    Instant.ofEpochSecond(1_800_000_000L + i));
            HashChain.Appended a = HashChain.append(heads.getOrDefault(vm, ChainHead.genesis(vm)), event);
            heads.put(vm, a.head());
            log.add(a.bytes());
        }
        return log;
    }

    @Test
    void anUntouchedLogVerifies() {
        Verification v = HashChain.verify(log());
        assertThat(v.intact()).isTrue();
        assertThat(v.entries()).isEqualTo(10);
        assertThat(v.heads().get(A).sequence()).isEqualTo(5);
        assertThat(v.heads().get(B).sequence()).isEqualTo(5);
    }

    @Test
    void theFirstEntryOfAVmPointsAtTheZeroHashAndEachNextAtItsPredecessor() {
        HashChain.Appended first = HashChain.append(ChainHead.genesis(A), new SagaEvent.TimerFired(Instant.EPOCH));
        assertThat(first.entry().previous()).isEqualTo(Digest.ZERO);
        assertThat(first.entry().sequence()).isEqualTo(1);
        HashChain.Appended second = HashChain.append(first.head(), new SagaEvent.TimerFired(Instant.EPOCH));
        assertThat(second.entry().previous()).isEqualTo(HashChain.hash(first.bytes()));
    }

    @Test
    void anEditedEntryBreaksTheChainAtTheNextEntryOfItsVm() {
        List<byte[]> log = log();
        byte[] edited = log.get(4).clone(); // vm-a, sequence 3
        edited[edited.length - 1] ^= 0x01; // inside the event's timestamp: still decodes
        log.set(4, edited);
        Verification v = HashChain.verify(log);
        assertThat(v.breaks()).singleElement().satisfies(b -> {
            assertThat(b.index()).isEqualTo(6);
            assertThat(b.vm()).contains(A);
            assertThat(b.problem()).contains("sequence 4").contains("previous hash");
        });
    }

    @Test
    void aRemovedEntryIsASequenceGap() {
        List<byte[]> log = log();
        log.remove(3); // vm-b, sequence 2
        Verification v = HashChain.verify(log);
        assertThat(v.breaks()).singleElement().satisfies(b -> {
            assertThat(b.vm()).contains(B);
            assertThat(b.problem()).contains("has sequence 3, expected 2");
        });
    }

    @Test
    void reorderedEntriesAreReported() {
        List<byte[]> log = log();
        Collections.swap(log, 0, 2); // vm-a's 1 and 2
        assertThat(HashChain.verify(log).intact()).isFalse();
    }

    @Test
    void aForgedEntryWithTheRightSequenceButAnotherPredecessorIsReported() {
        List<byte[]> log = log();
        // Replace vm-a's entry 2 by a well-formed entry 2 chained to a different entry 1.
        HashChain.Appended forgedFirst = HashChain.append(ChainHead.genesis(A), new SagaEvent.TimerFired(Instant.EPOCH));
        HashChain.Appended forged = HashChain.append(forgedFirst.head(), new SagaEvent.TimerFired(Instant.EPOCH));
        log.set(2, forged.bytes());
        Verification v = HashChain.verify(log);
        assertThat(v.breaks()).extracting(Verification.Break::index).containsExactly(2, 4);
    }

    @Test
    void garbageInTheLogIsABreakNotACrash() {
        List<byte[]> log = log();
        log.add(5, new byte[] {1, 2, 3});
        Verification v = HashChain.verify(log);
        assertThat(v.breaks()).singleElement().satisfies(b -> {
            assertThat(b.vm()).isEmpty();
            assertThat(b.problem()).contains("WRONG_MARKER");
        });
    }

    @Test
    void verificationContinuesFromKnownHeads() {
        List<byte[]> log = log();
        Verification firstHalf = HashChain.verify(log.subList(0, 6));
        Verification rest = HashChain.verify(log.subList(6, 10), firstHalf.heads());
        assertThat(rest.intact()).isTrue();
        assertThat(HashChain.verify(log.subList(6, 10)).intact()).isFalse();
    }
}
