package dev.vfo.core.vfio.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.vfio.Arc;
import dev.vfo.core.vfio.FlagsReading;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFsm;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.core.vfio.Transition;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The typical VFIO_DEVICE_FEATURE buffers, byte for byte as the uAPI notes give them. */
class FeatureRequestTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static Arc firstArc(MigrationCapability c, MigrationState from, MigrationState to) {
        return ((Transition.Path) MigrationFsm.plan(c, from, to)).arcs().get(0);
    }

    @Test
    void migrationGetIsArgsz16Flags0x10001WithRoomForTheU64() {
        FeatureRequest r = FeatureRequest.migrationGet();

        assertThat(r.header()).isEqualTo(new FeatureHeader(16, 0x10001));
        assertThat(hex(r.encode())).isEqualTo("10000000" + "01000100" + "0000000000000000");
    }

    @Test
    void migStateGetIsArgsz16Flags0x10002() {
        assertThat(hex(FeatureRequest.migStateGet().encode())).isEqualTo("10000000" + "02000100" + "0000000000000000");
    }

    @Test
    void migStateSetCarriesTheArcTargetAndNoFd() {
        Arc arc = firstArc(MigrationCapability.STOP_COPY_P2P, MigrationState.RUNNING, MigrationState.STOP);
        assertThat(arc.to()).isEqualTo(MigrationState.RUNNING_P2P);

        FeatureRequest r = FeatureRequest.migStateSet(arc);

        assertThat(r.header()).isEqualTo(new FeatureHeader(16, 0x20002));
        // device_state 5 (RUNNING_P2P) little-endian, then data_fd -1.
        assertThat(hex(r.encode())).isEqualTo("10000000" + "02000200" + "05000000" + "ffffffff");
    }

    @Test
    void probeOfStateSetIs0x60002WithoutPayload() {
        FeatureRequest r = FeatureRequest.probe(FeatureId.MIG_DEVICE_STATE, FeatureFlags.SET);

        assertThat(r.header()).isEqualTo(new FeatureHeader(8, 0x60002));
        assertThat(r.payload()).isEmpty();
        assertThat(hex(r.encode())).isEqualTo("08000000" + "02000600");
    }

    @Test
    void migDataSizeGetIsFlags0x10009() {
        assertThat(FeatureRequest.migDataSizeGet().header()).isEqualTo(new FeatureHeader(16, 0x10009));
    }

    @Test
    void theKernelsAnswerDecodesInTheSameBuffer() {
        // MIGRATION GET answered by a STOP_COPY|P2P|PRE_COPY device (qat, newest mlx5).
        FeatureRequest migration = FeatureRequest.decode(hex("10000000 01000100 0700000000000000"));
        assertThat(migration.migration().flags().read())
                .isEqualTo(new FlagsReading.Defined(MigrationCapability.STOP_COPY_P2P_PRE_COPY));

        // SET RUNNING>PRE_COPY answered with a new saving fd 17.
        FeatureRequest set = FeatureRequest.decode(hex("10000000 02000200 06000000 11000000"));
        assertThat(set.migState()).isEqualTo(new MigStateFeature(MigrationState.PRE_COPY, 17));
        assertThat(set.migState().hasDataFd()).isTrue();

        FeatureRequest size = FeatureRequest.decode(hex("10000000 09000100 ffffffffffffffff"));
        assertThat(size.migDataSize().stopCopyLength()).isEqualTo(-1L);
        assertThat(size.migDataSize().toString()).contains("18446744073709551615");
    }

    @Test
    void decodeRoundTripsEveryBuilder() {
        Arc arc = firstArc(MigrationCapability.STOP_COPY, MigrationState.STOP, MigrationState.RESUMING);
        for (FeatureRequest r : new FeatureRequest[] {FeatureRequest.migrationGet(), FeatureRequest.migStateGet(),
                FeatureRequest.migStateSet(arc), FeatureRequest.migDataSizeGet(),
                FeatureRequest.probe(FeatureId.DMA_LOGGING_START, FeatureFlags.SET)}) {
            assertThat(FeatureRequest.decode(r.encode())).isEqualTo(r);
        }
    }

    @Test
    void aBufferWhoseArgszDisagreesWithItsLengthIsRefused() {
        assertThatThrownBy(() -> FeatureRequest.decode(hex("18000000 02000100 0000000000000000")))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("argsz 24 does not match the 16 bytes");
        assertThatThrownBy(() -> FeatureRequest.decode(hex("100000")))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("vfio_device_feature").hasMessageContaining("too short");
    }

    @Test
    void flagWordsTheKernelRefusesCannotBeBuiltOrDecoded() {
        // GET|SET without PROBE.
        assertThatThrownBy(() -> FeatureRequest.decode(hex("10000000 02000300 0000000000000000")))
                .isInstanceOf(StructDecodeException.class)
                .hasMessageContaining("GET and SET are mutually exclusive except with PROBE")
                .hasMessageContaining("EINVAL");
        // A bit above PROBE.
        assertThat(FeatureFlags.kernelRefusal(0x80000L | 0x10002L)).get().asString()
                .contains("bits 0x80000 are outside MASK|GET|SET|PROBE");
        // No operation at all.
        assertThat(FeatureFlags.kernelRefusal(0x2L)).get().asString().contains("none of GET, SET or PROBE");
        // The probe form GET|SET|PROBE is legal.
        assertThat(FeatureFlags.kernelRefusal(0x70002L)).isEmpty();
    }

    @Test
    void askingForAnotherFeaturesPayloadIsAnError() {
        assertThatThrownBy(() -> FeatureRequest.migStateGet().migration())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("feature 2, not VFIO_DEVICE_FEATURE_MIGRATION (1)");
    }

    @Test
    void everyIoctlNumberIsUniqueOnItsKindOfFd() {
        for (VfioIoctl.Fd fd : VfioIoctl.Fd.values()) {
            assertThat(java.util.Arrays.stream(VfioIoctl.values()).filter(i -> i.fd() == fd)
                    .map(VfioIoctl::request)).doesNotHaveDuplicates();
        }
        assertThat(VfioIoctl.DEVICE_FEATURE.request()).isEqualTo(0x3b75).isEqualTo(15221);
        assertThat(VfioIoctl.DEVICE_RESET.request()).isEqualTo(15215);
        assertThat(VfioIoctl.MIG_GET_PRECOPY_INFO.request()).isEqualTo(0x3b79);
        assertThat(VfioIoctl.DEVICE_BIND_IOMMUFD.request()).isEqualTo(0x3b76);
    }
}
