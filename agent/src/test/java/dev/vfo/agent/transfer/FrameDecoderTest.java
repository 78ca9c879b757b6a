package dev.vfo.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.From;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    @Provide
    Arbitrary<Buffer> frame() {
        Arbitrary<Buffer> data = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3000)
                .map(b -> Wire.frame(FrameType.DATA, b));
        Arbitrary<Buffer> reason = Arbitraries.strings().ofMaxLength(40).map(Wire::abort);
        Arbitrary<Buffer> trailer = Combinators.combine(Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64))
                .as((n, sha) -> Wire.frame(FrameType.TRAILER, new Digest(n, sha).encode()));
        Arbitrary<Buffer> accept = Arbitraries.just(Wire.frame(FrameType.ACCEPT, new byte[0]));
        return Arbitraries.oneOf(data, reason, trailer, accept);
    }

    /** Cutting a stream of frames anywhere changes nothing about the frames decoded. */
    @Property(tries = 200)
    void any_segmentation_decodes_the_same_frames(@ForAll @Size(max = 12) List<@From("frame") Buffer> frames,
            @ForAll @IntRange(min = 1, max = 700) int cut) {
        Buffer stream = Buffer.buffer();
        frames.forEach(stream::appendBuffer);
        FrameDecoder decoder = new FrameDecoder();
        List<Buffer> decoded = new ArrayList<>();
        for (int i = 0; i < stream.length(); i += cut) {
            Buffer piece = stream.getBuffer(i, Math.min(stream.length(), i + cut));
            int at = 0;
            do {
                at = decoder.feed(piece, at);
                decoder.take().ifPresent(f -> decoded.add(Wire.frame(f.type(), f.payload())));
            } while (at < piece.length());
        }
        assertThat(decoded).isEqualTo(frames);
        assertThat(decoder.midFrame()).isFalse();
    }

    @Test
    void a_length_beyond_the_types_bound_is_refused_before_anything_is_allocated() {
        Buffer huge = Buffer.buffer().appendByte((byte) FrameType.DATA.code).appendInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> new FrameDecoder().feed(huge, 0)).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("DATA frame with a payload of 2147483647 bytes");
        Buffer empty = Buffer.buffer().appendByte((byte) FrameType.DATA.code).appendInt(0);
        assertThatThrownBy(() -> new FrameDecoder().feed(empty, 0)).hasMessageContaining("payload of 0 bytes");
        Buffer unknown = Buffer.buffer().appendByte((byte) 99).appendInt(1);
        assertThatThrownBy(() -> new FrameDecoder().feed(unknown, 0)).hasMessageContaining("unknown frame type 99");
    }

    @Test
    void a_hello_round_trips_and_a_foreign_or_newer_one_is_refused_with_the_reason() {
        Hello hello = new Hello(new MigrationId("m-1"), new CommandId("c-1"), 9, new HostId("a"), new DeviceId("a/1"),
                new HostId("b"), new DeviceId("b/2"));
        assertThat(Hello.decode(hello.encode())).isEqualTo(hello);
        byte[] foreign = hello.encode();
        foreign[0] = 'X';
        assertThatThrownBy(() -> Hello.decode(foreign)).hasMessageContaining("not a vfo transfer stream");
        byte[] newer = hello.encode();
        newer[5] = 2;
        assertThatThrownBy(() -> Hello.decode(newer)).hasMessageContaining("version 2");
        byte[] cut = java.util.Arrays.copyOf(hello.encode(), 20);
        assertThatThrownBy(() -> Hello.decode(cut)).isInstanceOf(ProtocolViolation.class);
        Buffer longAbort = Wire.abort("x".repeat(5000));
        assertThat(Wire.text(longAbort.getBytes(Wire.HEAD_BYTES, longAbort.length())))
                .hasSize(Wire.MAX_REASON_CHARS + 3);
    }
}
