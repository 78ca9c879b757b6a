package dev.vfo.core.saga;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Immutable sorted maps for the state records. Every evolve step builds new records; copying
 * every map each time dominated the simulator's profile, so a map that is already an
 * unmodifiable sorted view is taken as it is. This package only ever wraps TreeMaps it built and
 * then forgets, so such a view cannot change; a caller outside must not pass a view of a map it
 * keeps changing.
 */
final class Frozen {

    private static final Class<?> VIEW = Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();

    private Frozen() {}

    @SuppressWarnings("unchecked")
    static <K, V> SortedMap<K, V> sorted(Map<K, V> m) {
        if (m.getClass() == VIEW && ((SortedMap<K, V>) m).comparator() == null) {
            return (SortedMap<K, V>) m;
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
