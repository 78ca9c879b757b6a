package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the decoders with 100,000 inputs per run: random bytes, random bytes behind a valid
 * header (so the datum walk is reached), and valid encodings (agent events, commands, coordinator-log entries, requests) mutated by bit flips, truncation,
 * overwrites and inflated length varints. Every input must come back as Ok or Failed: no exception,
 * no unbounded allocation. An input that decodes must re-encode to a value that decodes equal, and
 * the compiled datum walk must accept exactly what the schema walk accepts, and a log entry read
 * without Avro must come out as Avro reads it, failures included.
 */
class DecoderFuzzTest {

    static final int TRIES = 100_000;
    /** Per decode: generous for a 1 MiB message, far below what an inflated length would cost. */
    static final long ALLOCATION_LIMIT = 8L << 20;

    private static final java.util.List<byte[]> VALID = java.util.stream.Stream.concat(
            Samples.events().sampleStream().limit(600).map(LogCodec::encode),
            Samples.commands().sampleStream().limit(300).map(LogCodec::encode))
            .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));

    static {
        // Coordinator-log entries (saga events nested in the envelope, agent events nested in
        // those) and control-plane requests.
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        SagaSamples.events().sampleStream().limit(400).forEach(e -> VALID.add(LogCodec.encode(
                new CoordinatorLogEntry(new dev.vfo.core.protocol.VmId("vm-" + seq.get() % 7),
                        seq.incrementAndGet(), Digest.sha256(new byte[] {(byte) seq.get()}), e))));
        SagaSamples.controlRequests().sampleStream().limit(100).forEach(r -> VALID.add(SagaSamples.encode(r)));
    }
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final Map<Failure.Reason, Long> REASONS = new EnumMap<>(Failure.Reason.class);
    private static final AtomicLong OK = new AtomicLong();
    private static volatile long startedNanos;

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void decodersReturnOkOrFailedForAnyBytes(@ForAll("hostileBytes") byte[] bytes) {
        if (startedNanos == 0) {
            startedNanos = System.nanoTime();
        }
        INPUTS.incrementAndGet();
        long before = AllocationMeter.allocatedBytes();
        Decoded<AgentEvent> event = LogCodec.decodeAgentEvent(bytes);
        Decoded<AgentCommand> command = LogCodec.decodeAgentCommand(bytes);
        Decoded<CoordinatorLogEntry> entry = LogCodec.decodeLogEntry(bytes);
        Decoded<ChainLink> link = LogCodec.decodeChainLink(bytes);
        Decoded<dev.vfo.core.saga.SagaInput> request = LogCodec.decodeRequest(bytes);
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated decoding %d input bytes", bytes.length).isLessThan(ALLOCATION_LIMIT);
        assertThat(event).isNotNull();
        assertThat(command).isNotNull();
        assertThat(entry).isNotNull();
        assertThat(link).isNotNull();
        assertThat(request).isNotNull();
        // The compiled walk decides every decode; the schema walk only explains refusals, so the
        // two must agree on every datum behind a known header.
        SingleObject.fingerprint(bytes).flatMap(SchemaSet.standard()::writer).ifPresent(writer ->
                assertThat(EncodingCheck.Program.compile(writer).accepts(bytes, SingleObject.HEADER_BYTES, bytes.length))
                        .as("compiled walk of %s", writer.getFullName())
                        .isEqualTo(EncodingCheck.check(writer, bytes, SingleObject.HEADER_BYTES, bytes.length).isEmpty()));
        // The log's envelopes are read without Avro (Envelopes): for any bytes, the same value
        // or the same failure as Avro's reading.
        assertThat(entry).as("LogEntry read directly vs by Avro").isEqualTo(LogCodec.decodeLogEntryWithAvro(bytes));
        count(event);
        count(command);
        count(entry);
        count(request);
        if (entry instanceof Decoded.Ok) {
            assertThat(link.orElseThrow()).isEqualTo(entry.orElseThrow().link());
            CoordinatorLogEntry value = entry.orElseThrow();
            assertThat(LogCodec.decodeLogEntry(LogCodec.encode(value))).isEqualTo(entry);
        }
        if (request instanceof Decoded.Ok) {
            assertThat(LogCodec.decodeRequest(SagaSamples.encode(request.orElseThrow()))).isEqualTo(request);
        }
        if (event instanceof Decoded.Ok) {
            AgentEvent value = event.orElseThrow();
            assertThat(LogCodec.decodeAgentEvent(LogCodec.encode(value))).isEqualTo(event);
        }
        if (command instanceof Decoded.Ok) {
            AgentCommand value = command.orElseThrow();
            assertThat(LogCodec.decodeAgentCommand(LogCodec.encode(value))).isEqualTo(command);
        }
    }

    private static synchronized void count(Decoded<?> d) {
        if (d instanceof Decoded.Failed) {
            REASONS.merge(((Decoded.Failed<?>) d).failure().reason(), 1L, Long::sum);
        } else {
            OK.incrementAndGet();
        }
    }

    @AfterContainer
    static void report() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("decoder fuzz: %d inputs (x5 decoders) in %.1f s; ok=%d; failures by reason %s%n",
                INPUTS.get(), seconds, OK.get(), REASONS);
    }

    @Provide
    Arbitrary<byte[]> hostileBytes() {
        // A pool of valid encodings of every kind, drawn once: generating domain records per try
        // would dominate the run time, and mutations supply the variety.
        Arbitrary<byte[]> valid = Arbitraries.of(VALID).map(byte[]::clone);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, randomBytes()),
                net.jqwik.api.Tuple.of(2, Combinators.combine(valid, randomBytes()).as(DecoderFuzzTest::headerThen)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(valid, Arbitraries.integers().between(1, 8),
                        Arbitraries.longs()).as(DecoderFuzzTest::flipBits)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0))
                        .as((b, n) -> Arrays.copyOf(b, n % (b.length + 1)))),
                net.jqwik.api.Tuple.of(2, Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.longs()).as(DecoderFuzzTest::inflateVarint)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0),
                        randomBytes()).as(DecoderFuzzTest::overwrite)),
                net.jqwik.api.Tuple.of(1, valid));
    }

    private static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    /** A valid header (known fingerprint) followed by random bytes. */
    private static byte[] headerThen(byte[] valid, byte[] tail) {
        byte[] out = Arrays.copyOf(valid, SingleObject.HEADER_BYTES + tail.length);
        System.arraycopy(tail, 0, out, SingleObject.HEADER_BYTES, tail.length);
        return out;
    }

    private static byte[] flipBits(byte[] valid, int flips, long seed) {
        byte[] out = valid.clone();
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < flips; i++) {
            int bit = r.nextInt(out.length * 8);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return out;
    }

    /** Replaces the byte at a datum position by a 10-byte varint of an arbitrary (often huge) value. */
    private static byte[] inflateVarint(byte[] valid, int position, long value) {
        int at = SingleObject.HEADER_BYTES + position % Math.max(1, valid.length - SingleObject.HEADER_BYTES);
        at = Math.min(at, valid.length);
        byte[] varint = new byte[10];
        long zigzag = (value << 1) ^ (value >> 63);
        int n = 0;
        do {
            byte b = (byte) (zigzag & 0x7f);
            zigzag >>>= 7;
            varint[n++] = zigzag != 0 ? (byte) (b | 0x80) : b;
        } while (zigzag != 0 && n < 10);
        byte[] out = new byte[valid.length - Math.min(1, valid.length - at) + n];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(varint, 0, out, at, n);
        int rest = at < valid.length ? at + 1 : at;
        System.arraycopy(valid, rest, out, at + n, valid.length - rest);
        return out;
    }

    private static byte[] overwrite(byte[] valid, int position, byte[] junk) {
        byte[] out = valid.clone();
        int at = position % out.length;
        System.arraycopy(junk, 0, out, at, Math.min(junk.length, out.length - at));
        return out;
    }
}
