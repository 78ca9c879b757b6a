package dev.vfo.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.schemas.codec.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static ConsumerRecord<byte[], byte[]> consumed(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("vfo.device-events", 5, 1234L, 1_795_000_000_000L, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }

    @Test
    void aLetterIsTheOriginalRecordPlusOriginAndReason() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON, "FORGED".getBytes(StandardCharsets.UTF_8));
        byte[] key = "vm-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xC3, 0x01, 0x00};
        ProducerRecord<byte[], byte[]> letter = DeadLetters.letter("vfo.dead-letters", consumed(key, value, headers),
                new Failure(Failure.Reason.TRUNCATED, "3 bytes, the header alone is 10"));
        assertThat(letter.topic()).isEqualTo("vfo.dead-letters");
        assertThat(letter.key()).isEqualTo(key);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(letter.headers().lastHeader("traceparent")).isNotNull();
        // A forged dlq header on the original does not survive next to the real one.
        assertThat(letter.headers().headers(DeadLetters.REASON)).hasSize(1);

        ConsumerRecord<byte[], byte[]> stored = new ConsumerRecord<>("vfo.dead-letters", 0, 0L, 0L,
                TimestampType.CREATE_TIME, key.length, value.length, letter.key(), letter.value(), letter.headers(),
                Optional.empty());
        DeadLetter read = DeadLetters.read(stored).orElseThrow();
        assertThat(read.topic()).isEqualTo("vfo.device-events");
        assertThat(read.partition()).isEqualTo(5);
        assertThat(read.offset()).isEqualTo(1234L);
        assertThat(read.timestamp()).isEqualTo(1_795_000_000_000L);
        assertThat(read.reason()).isEqualTo(Failure.Reason.TRUNCATED);
        assertThat(read.detail()).isEqualTo("3 bytes, the header alone is 10");
        assertThat(read.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }

    @Test
    void nullKeyAndValueStayNullAndLongDetailsAreCut() {
        ProducerRecord<byte[], byte[]> letter = DeadLetters.letter("dlq", consumed(null, null, new RecordHeaders()),
                new Failure(Failure.Reason.EMPTY, "x".repeat(10_000)));
        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
        assertThat(letter.headers().lastHeader(DeadLetters.DETAIL).value().length)
                .isLessThanOrEqualTo(DeadLetters.MAX_DETAIL_CHARS + 3);
    }

    @Test
    void aRecordWithoutDeadLetterHeadersIsNotALetter() {
        assertThat(DeadLetters.read(consumed(null, new byte[] {1}, new RecordHeaders()))).isEmpty();
    }
}
