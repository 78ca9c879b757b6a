package dev.vfo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RowTest {

    private static final Row.Target CEILING = Row.Target.atMost("bytes", 4096, "<= 4 KiB");
    private static final Row.Target FLOOR = Row.Target.atLeast("events_per_s", 50_000, ">= 50k/s");

    @Test
    void aCeilingIsMetAtOrBelowItsLimit() {
        assertThat(Row.measured("6", "m", Map.of("bytes", 4096.0), "").against(CEILING).verdict()).isEqualTo("met");
        assertThat(Row.measured("6", "m", Map.of("bytes", 4097.0), "").against(CEILING).verdict()).isEqualTo("missed");
    }

    @Test
    void aFloorIsMetAtOrAboveItsLimit() {
        assertThat(Row.measured("4", "t", Map.of("events_per_s", 49_999.0), "").against(FLOOR).verdict())
                .isEqualTo("missed");
        assertThat(Row.measured("4", "t", Map.of("events_per_s", 50_000.0), "").against(FLOOR).verdict())
                .isEqualTo("met");
    }

    @Test
    void withoutATargetOrAValueThereIsNoVerdict() {
        assertThat(Row.measured("1", "r", Map.of("p99_ms", 5.0), "").verdict()).isEqualTo("n/a");
        assertThat(Row.measured("6", "m", Map.of("other", 1.0), "").against(CEILING).verdict()).isEqualTo("n/a");
        assertThat(Row.notRun("4", "t", "needs the loop", Optional.of(FLOOR)).verdict()).isEqualTo("n/a");
    }

    @Test
    void aRowHasValuesOrAReasonNotBoth() {
        assertThatThrownBy(() -> new Row("1", "r", Map.of(), Optional.empty(), Optional.empty(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Row("1", "r", Map.of("x", 1.0), Optional.empty(), Optional.of("why"), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
