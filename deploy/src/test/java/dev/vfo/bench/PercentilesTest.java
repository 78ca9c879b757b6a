package dev.vfo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnOneToAThousand() {
        Percentiles p = new Percentiles(LongStream.rangeClosed(1, 1000).map(i -> 1001 - i).toArray());

        assertThat(p.nanosAt(0.50)).isEqualTo(500);
        assertThat(p.nanosAt(0.99)).isEqualTo(990);
        assertThat(p.nanosAt(0.999)).isEqualTo(999);
        assertThat(p.nanosAt(1.0)).isEqualTo(1000);
        assertThat(p.millis()).containsEntry("samples", 1000.0).containsEntry("max_ms", 0.001);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        Percentiles p = new Percentiles(new long[] {3_000_000});

        assertThat(p.millis()).containsEntry("p50_ms", 3.0).containsEntry("p999_ms", 3.0);
    }

    @Test
    void noSamplesIsRefused() {
        assertThatThrownBy(() -> new Percentiles(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
