package dev.vfo.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * EncodingCheck validates UTF-8 by hand (decoding into a buffer per string was a large part of a
 * decode); it must accept exactly what the JDK's strict decoder accepts.
 */
class Utf8CheckTest {

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 20_000)
    void acceptsExactlyWhatTheJdkAccepts(@ForAll("boundaryBytes") byte[] b) {
        assertThat(EncodingCheck.wellFormedUtf8(b, 0, b.length)).as("%s", java.util.HexFormat.of().formatHex(b))
                .isEqualTo(jdkAccepts(b));
    }

    /** Short runs of the bytes where UTF-8's rules change (lead ranges, continuation bounds, overlongs, surrogates). */
    @Provide
    Arbitrary<byte[]> boundaryBytes() {
        List<Integer> edges = List.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF);
        return Arbitraries.of(edges).map(Integer::byteValue).list().ofMaxSize(8).map(l -> {
            byte[] out = new byte[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = l.get(i);
            }
            return out;
        });
    }

    @Test
    void realTextPassesAndOnlyTheRangeIsLookedAt() {
        byte[] text = "vm-ä-€-𝄞 device".getBytes(StandardCharsets.UTF_8);
        assertThat(EncodingCheck.wellFormedUtf8(text, 0, text.length)).isTrue();
        byte[] framed = new byte[text.length + 2];
        System.arraycopy(text, 0, framed, 1, text.length);
        framed[0] = (byte) 0xFF;
        framed[framed.length - 1] = (byte) 0xC3;
        assertThat(EncodingCheck.wellFormedUtf8(framed, 1, framed.length - 1)).isTrue();
        assertThat(EncodingCheck.wellFormedUtf8(framed, 0, framed.length - 1)).isFalse();
        assertThat(EncodingCheck.wellFormedUtf8(framed, 1, framed.length)).isFalse();
    }
}
