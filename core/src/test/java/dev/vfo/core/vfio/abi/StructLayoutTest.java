package dev.vfo.core.vfio.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.vfio.MigrationFlags;
import dev.vfo.core.vfio.MigrationState;
import java.util.HexFormat;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Little-endian layouts, exact-length decoding and the errors for bytes that are not a struct. */
class StructLayoutTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void precopyInfoIsLittleEndianAtTheHeaderOffsets() {
        PrecopyInfo info = new PrecopyInfo(24, 0, 0x0102030405060708L, 0x1122334455667788L);

        assertThat(HexFormat.of().formatHex(info.encode()))
                .isEqualTo("18000000" + "00000000" + "0807060504030201" + "8877665544332211");
        assertThat(PrecopyInfo.request().encode()).hasSize(PrecopyInfo.SIZE);
        assertThat(PrecopyInfo.decode(hex("18000000 00000000 0000000000000000 0000000000000000")).drained()).isTrue();
    }

    @Test
    void unsignedFieldsDecodeWithoutSignExtension() {
        PrecopyInfo info = PrecopyInfo.decode(hex("ffffffff ffffffff ffffffffffffffff 0100000000000000"));

        assertThat(info.argsz()).isEqualTo(0xffff_ffffL);
        assertThat(info.flags()).isEqualTo(0xffff_ffffL);
        assertThat(info.toString()).contains("initial_bytes=18446744073709551615").contains("dirty_bytes=1");
        assertThat(FeatureHeader.decode(hex("ffffffff 00000000")).argsz()).isEqualTo(4294967295L);
    }

    @Test
    void shortInputIsAClearErrorThatKeepsTheBytes() {
        byte[] seven = hex("01020304050607");
        assertShort(MigStateFeature::decode, MigStateFeature.STRUCT, seven, 8);
        assertShort(MigrationFeature::decode, MigrationFeature.STRUCT, seven, 8);
        assertShort(MigDataSizeFeature::decode, MigDataSizeFeature.STRUCT, seven, 8);
        assertShort(FeatureHeader::decode, FeatureHeader.STRUCT, seven, 8);
        assertShort(PrecopyInfo::decode, PrecopyInfo.STRUCT, new byte[16], 24);
        assertShort(PrecopyInfo::decode, PrecopyInfo.STRUCT, new byte[0], 24);
    }

    private static void assertShort(Function<byte[], ?> decode, String struct, byte[] bytes, int size) {
        assertThatThrownBy(() -> decode.apply(bytes))
                .isInstanceOfSatisfying(StructDecodeException.class, e -> {
                    assertThat(e.struct()).isEqualTo(struct);
                    assertThat(e.bytes()).isEqualTo(bytes);
                    assertThat(e.getMessage()).contains("struct " + struct).contains("too short")
                            .contains("the struct is " + size + " bytes")
                            .contains((size - bytes.length) + " missing");
                });
    }

    @Test
    void longInputIsRefusedRatherThanTruncated() {
        assertThatThrownBy(() -> MigStateFeature.decode(new byte[9]))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("too long").hasMessageContaining("1 extra byte(s) would be lost");
    }

    @Test
    void anUndefinedDeviceStateIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> MigStateFeature.decode(hex("08000000 ffffffff")))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("device_state 8 is not an enum vfio_device_mig_state value (0..7)");
        assertThatThrownBy(() -> MigStateFeature.decode(hex("ffffffff ffffffff")))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("device_state 4294967295");
    }

    @Test
    void everyDefinedStateDecodesToItsKernelValue() {
        for (MigrationState s : MigrationState.values()) {
            byte[] b = new MigStateFeature(s, MigStateFeature.NO_FD).encode();
            assertThat(b[0]).isEqualTo((byte) s.value());
            assertThat(MigStateFeature.decode(b)).isEqualTo(new MigStateFeature(s, -1));
        }
    }

    @Test
    void u32FieldsRefuseValuesThatDoNotFit() {
        assertThatThrownBy(() -> new FeatureHeader(-1, 0)).hasMessageContaining("vfio_device_feature.argsz is a u32");
        assertThatThrownBy(() -> new PrecopyInfo(24, 1L << 32, 0, 0)).hasMessageContaining("vfio_precopy_info.flags");
    }

    @Test
    void sizesAreTheSumOfTheFieldsTheyHold() {
        assertThat(FeatureHeader.OFFSET_DATA).isEqualTo(FeatureHeader.SIZE);
        assertThat(MigStateFeature.OFFSET_DATA_FD + Integer.BYTES).isEqualTo(MigStateFeature.SIZE);
        assertThat(PrecopyInfo.OFFSET_DIRTY_BYTES + Long.BYTES).isEqualTo(PrecopyInfo.SIZE);
    }

    @Property
    void migrationFlagsRoundTripEveryWord(@ForAll long raw) {
        MigrationFeature f = new MigrationFeature(new MigrationFlags(raw));
        assertThat(MigrationFeature.decode(f.encode())).isEqualTo(f);
    }

    @Property
    void precopyInfoRoundTrips(@ForAll @LongRange(min = 0, max = 0xffff_ffffL) long argsz,
            @ForAll @LongRange(min = 0, max = 0xffff_ffffL) long flags, @ForAll long initial, @ForAll long dirty) {
        PrecopyInfo p = new PrecopyInfo(argsz, flags, initial, dirty);
        assertThat(PrecopyInfo.decode(p.encode())).isEqualTo(p);
    }

    @Property
    void migStateAndDataSizeRoundTrip(@ForAll MigrationState state, @ForAll int fd, @ForAll long length) {
        assertThat(MigStateFeature.decode(new MigStateFeature(state, fd).encode())).isEqualTo(new MigStateFeature(state, fd));
        assertThat(MigDataSizeFeature.decode(new MigDataSizeFeature(length).encode())).isEqualTo(new MigDataSizeFeature(length));
    }
}
