package dev.vfo.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CreationRateLimitTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allows_the_burst_then_asks_to_wait_until_a_start_refills() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        CreationRateLimit limit = new CreationRateLimit(6, 2, now::get); // one start per 10 s

        assertThat(limit.take("alice")).isZero();
        assertThat(limit.take("alice")).isZero();
        assertThat(limit.take("alice")).isEqualTo(10);
        now.addAndGet(4 * SECOND);
        assertThat(limit.take("alice")).isEqualTo(6);
        now.addAndGet(6 * SECOND);
        assertThat(limit.take("alice")).isZero();
        assertThat(limit.take("bob")).as("buckets are per caller").isZero();
    }

    @Test
    void refuses_nonsense_settings() {
        assertThatThrownBy(() -> new CreationRateLimit(0, 1, () -> 0)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new CreationRateLimit(1, 0, () -> 0)).hasMessageContaining("burst");
    }

    /**
     * However requests are spread in time, a caller never gets more starts than the burst plus
     * what the rate refilled over the elapsed time; and a caller told to wait w seconds is
     * allowed after waiting them.
     */
    @Property
    void never_allows_more_than_burst_plus_refill(@ForAll @IntRange(min = 1, max = 20) int burst,
            @ForAll @IntRange(min = 1, max = 600) int perMinute,
            @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 30 * SECOND) Long> gaps) {
        AtomicLong now = new AtomicLong(SECOND);
        CreationRateLimit limit = new CreationRateLimit(perMinute, burst, now::get);
        long start = now.get();
        int allowed = 0;
        for (long gap : gaps) {
            now.addAndGet(gap);
            long wait = limit.take("alice");
            if (wait == 0) {
                allowed++;
            } else {
                assertThat(wait).isPositive();
            }
            double elapsedMinutes = (now.get() - start) / 60e9;
            assertThat(allowed).isLessThanOrEqualTo(burst + (int) Math.floor(elapsedMinutes * perMinute + 1e-9));
        }
        long wait = limit.take("alice");
        if (wait > 0) {
            now.addAndGet(wait * SECOND);
            assertThat(limit.take("alice")).isZero();
        }
    }
}
