package dev.vfo.core.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The saga's immutable sorted map behaves as a {@code TreeMap} given the same puts, and never
 * changes; sizes reach past the bound where lookups switch from scanning hashes to binary search.
 */
class FrozenTest {

    @Property(tries = 300)
    void behavesAsATreeMapGivenTheSamePuts(@ForAll @Size(max = 80) List<@IntRange(max = 99) Integer> keys,
            @ForAll @IntRange(max = 105) int probe, @ForAll @IntRange(max = 105) int other) {
        TreeMap<String, Integer> expected = new TreeMap<>();
        SortedMap<String, Integer> actual = Frozen.sorted(new TreeMap<String, Integer>());
        for (int i = 0; i < keys.size(); i++) {
            String key = String.format("d%02d", keys.get(i));
            SortedMap<String, Integer> before = actual;
            TreeMap<String, Integer> beforeExpected = new TreeMap<>(expected);
            expected.put(key, i);
            actual = Frozen.with(actual, key, i);
            assertThat(before).as("the map a put started from").isEqualTo(beforeExpected);
        }
        assertThat(actual).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(List.copyOf(actual.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
        String p = String.format("d%02d", probe);
        String q = String.format("d%02d", other);
        assertThat(actual.get(p)).isEqualTo(expected.get(p));
        assertThat(actual.containsKey(p)).isEqualTo(expected.containsKey(p));
        assertThat(actual.headMap(p)).isEqualTo(expected.headMap(p));
        assertThat(actual.tailMap(p)).isEqualTo(expected.tailMap(p));
        String low = p.compareTo(q) <= 0 ? p : q;
        String high = p.compareTo(q) <= 0 ? q : p;
        assertThat(actual.subMap(low, high)).isEqualTo(expected.subMap(low, high));
        if (!expected.isEmpty()) {
            assertThat(actual.firstKey()).isEqualTo(expected.firstKey());
            assertThat(actual.lastKey()).isEqualTo(expected.lastKey());
        }
        assertThat(Frozen.sorted(actual)).as("an immutable map is taken as it is").isSameAs(actual);
    }
}
