package dev.vfo.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a raw flags word: the four defined combinations, every other word refused with its reason. */
class MigrationFlagsTest {

    @Test
    void theFourDefinedCombinationsReadAsDefined() {
        assertThat(new MigrationFlags(1).read()).isEqualTo(new FlagsReading.Defined(MigrationCapability.STOP_COPY));
        assertThat(new MigrationFlags(3).read()).isEqualTo(new FlagsReading.Defined(MigrationCapability.STOP_COPY_P2P));
        assertThat(new MigrationFlags(5).read())
                .isEqualTo(new FlagsReading.Defined(MigrationCapability.STOP_COPY_PRE_COPY));
        assertThat(new MigrationFlags(7).read())
                .isEqualTo(new FlagsReading.Defined(MigrationCapability.STOP_COPY_P2P_PRE_COPY));
    }

    @Test
    void everyOtherByteValueReadsAsUndefinedAndNamesTheOffendingBits() {
        List<Long> defined = new ArrayList<>();
        for (long v = 0; v <= 255; v++) {
            FlagsReading reading = new MigrationFlags(v).read();
            if (v == 1 || v == 3 || v == 5 || v == 7) {
                assertThat(reading).isInstanceOf(FlagsReading.Defined.class);
                defined.add(v);
                continue;
            }
            assertUndefinedNaming(v, reading);
        }
        assertThat(defined).containsExactly(1L, 3L, 5L, 7L);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 63, 1L << 3, (1L << 63) | 1, (1L << 3) | 7, (1L << 32) | 3, -1L, 1L << 62})
    void highBitsReadAsUndefinedAndAreNamed(long raw) {
        assertUndefinedNaming(raw, new MigrationFlags(raw).read());
    }

    private static void assertUndefinedNaming(long raw, FlagsReading reading) {
        assertThat(reading).as("0x%x", raw).isInstanceOf(FlagsReading.Undefined.class);
        FlagsReading.Undefined u = (FlagsReading.Undefined) reading;
        assertThat(u.flags().raw()).as("the word is kept whole").isEqualTo(raw);
        assertThat(u.reason()).contains("0x" + Long.toHexString(raw)).contains("not migratable");
        if ((raw & 1) == 0) {
            assertThat(u.reason()).contains("STOP_COPY is not set");
        } else {
            assertThat(u.reason()).doesNotContain("STOP_COPY is not set");
        }
        for (int b = 3; b < 64; b++) {
            if ((raw & (1L << b)) != 0) {
                assertThat(u.reason()).contains("bit " + b);
            }
        }
        if ((raw & ~7L) == 0) {
            assertThat(u.reason()).doesNotContain("undefined bit");
        }
    }

    @Test
    void theReasonForTheKnownMisreadingsIsSpecific() {
        // P2P alone: a driver that forgot STOP_COPY; the reason says P2P only adds states on top of it.
        assertThat(((FlagsReading.Undefined) new MigrationFlags(2).read()).reason())
                .contains("STOP_COPY is not set").contains("P2P only add");
        assertThat(((FlagsReading.Undefined) new MigrationFlags(1L << 3).read()).reason())
                .contains("bit 3").contains("(0x8)");
        assertThat(((FlagsReading.Undefined) new MigrationFlags(1L << 63).read()).reason())
                .contains("bit 63").contains("0x8000000000000000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "7; 7",
        "0; 0",
        "0x5; 5",
        "0X0F; 15",
        "  3  ; 3",
        "STOP_COPY; 1",
        "STOP_COPY,P2P; 3",
        "stop_copy | pre_copy; 5",
        "VFIO_MIGRATION_P2P|STOP_COPY|PRE_COPY; 7",
        "P2P; 2",
        "18446744073709551615; -1",
        "0xffffffffffffffff; -1"})
    void parseReadsNumbersAndNames(String text, long raw) {
        assertThat(MigrationFlags.parse(text)).isEqualTo(new MigrationFlags(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "''; empty flags value",
        "'   '; empty flags value",
        "0x; '0x' is not a u64 number",
        "0xZZ; '0xZZ' is not a u64 number",
        "18446744073709551616; is not a u64 number",
        "12abc; '12abc' is not a u64 number",
        "FOO; 'FOO' is not a migration flag",
        "STOP_COPY,BOGUS; 'BOGUS' is not a migration flag",
        "STOP_COPY,,P2P; '' is not a migration flag",
        "-1; '-1' is not a migration flag"})
    void parseRefusesBadTextNamingThePart(String text, String message) {
        assertThatThrownBy(() -> MigrationFlags.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parseAndDescribeAgree() {
        for (MigrationCapability c : MigrationCapability.values()) {
            assertThat(MigrationFlags.parse(c.label()).read()).isEqualTo(new FlagsReading.Defined(c));
        }
        assertThat(new MigrationFlags((1L << 5) | 3).describe()).isEqualTo("STOP_COPY|P2P|bit5");
    }
}
