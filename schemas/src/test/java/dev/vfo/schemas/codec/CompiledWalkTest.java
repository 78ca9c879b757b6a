package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The compiled datum walk on shapes vfo's own schemas lack (a record that refers to itself, maps,
 * collections inside unions), where the fuzz test cannot reach: it must accept each valid datum and
 * agree with the schema walk on every truncation and every single-byte change.
 */
class CompiledWalkTest {

    private static final Schema NODE = new Schema.Parser().parse("""
            {"type": "record", "name": "Node", "namespace": "test", "fields": [
              {"name": "label", "type": "string"},
              {"name": "weight", "type": "double"},
              {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "long"}}},
              {"name": "flag", "type": "boolean"},
              {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
              {"name": "next", "type": ["null", "Node"]}
            ]}""");

    @Test
    void aSelfReferringRecordIsWalkedToItsEnd() throws IOException {
        byte[] datum = encode(list(3));
        EncodingCheck.Program program = EncodingCheck.Program.compile(NODE);
        assertThat(program.accepts(datum, 0, datum.length)).isTrue();
        assertThat(EncodingCheck.check(program, NODE, datum, 0, 0, datum.length)).isEmpty();
    }

    @Test
    void theTwoWalksAgreeOnEveryTruncationAndEveryByteChanged() throws IOException {
        byte[] datum = encode(list(3));
        EncodingCheck.Program program = EncodingCheck.Program.compile(NODE);
        int refused = 0;
        for (int end = 0; end < datum.length; end++) {
            assertThat(program.accepts(datum, 0, end)).as("truncated to %d", end).isFalse();
            assertThat(EncodingCheck.check(NODE, datum, 0, end)).as("truncated to %d", end).isPresent();
        }
        for (int at = 0; at < datum.length; at++) {
            for (int value : new int[] {0x00, 0x01, 0x02, 0x7f, 0x80, 0xc0, 0xff}) {
                byte[] changed = datum.clone();
                changed[at] = (byte) value;
                boolean compiled = program.accepts(changed, 0, changed.length);
                assertThat(compiled).as("byte %d set to %02X", at, value)
                        .isEqualTo(EncodingCheck.check(NODE, changed, 0, changed.length).isEmpty());
                refused += compiled ? 0 : 1;
            }
        }
        assertThat(refused).as("changes refused").isPositive();
    }

    private static GenericRecord list(int length) {
        GenericRecord next = null;
        for (int i = length; i > 0; i--) {
            GenericRecord node = new GenericData.Record(NODE);
            node.put("label", "node-" + i + (i == 2 ? " \u00e9\u4e2d\ud83d\ude00" : ""));
            node.put("weight", i * 1.5);
            node.put("tags", Map.of("k" + i, List.of((long) i, -1L << 40)));
            node.put("flag", i % 2 == 0);
            node.put("kind", new GenericData.EnumSymbol(NODE.getField("kind").schema(), "C"));
            node.put("next", next);
            next = node;
        }
        return next;
    }

    private static byte[] encode(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(NODE).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
