package dev.vfo.core.saga;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Immutable sorted maps for the state records. Every evolve step builds new records and most
 * change one device's entry in a map of a few dozen; copying a {@code TreeMap} for that (a node
 * per entry) was the largest allocation of the saga and a tenth of an audit's re-derivation. A
 * {@link Sorted} is two sorted arrays: a lookup is a binary search, a change copies one array,
 * and iteration (and with it every decision) is in key order, as with a {@code TreeMap}.
 */
final class Frozen {

    private Frozen() {}

    /** {@code m} as an immutable sorted map: taken as it is when it already is one, else copied once. */
    @SuppressWarnings("unchecked")
    static <K extends Comparable<? super K>, V> SortedMap<K, V> sorted(Map<K, V> m) {
        if (m instanceof Sorted) {
            return (Sorted<K, V>) m;
        }
        TreeMap<K, V> ordered = new TreeMap<>(m);
        Object[] keys = new Object[ordered.size()];
        Object[] values = new Object[ordered.size()];
        int i = 0;
        for (Map.Entry<K, V> e : ordered.entrySet()) {
            keys[i] = java.util.Objects.requireNonNull(e.getKey());
            values[i++] = java.util.Objects.requireNonNull(e.getValue(), "no null values in the saga's maps");
        }
        return new Sorted<>(keys, values);
    }

    /** {@code m} with {@code key} mapped to {@code value}; {@code m} itself is unchanged. */
    static <K extends Comparable<? super K>, V> SortedMap<K, V> with(SortedMap<K, V> m, K key, V value) {
        return ((Sorted<K, V>) sorted(m)).with(key, java.util.Objects.requireNonNull(value));
    }

    /**
     * Keys in natural order, values at the same index, and each key's hash; no array is ever
     * written after construction.
     */
    static final class Sorted<K extends Comparable<? super K>, V> extends AbstractMap<K, V> implements SortedMap<K, V> {
        /** Up to this size a lookup scans the hashes: cheaper than comparing ids that share long prefixes. */
        private static final int SCANNED = 32;

        private final Object[] keys;
        private final Object[] values;
        private final int[] hashes;

        private Sorted(Object[] keys, Object[] values) {
            this(keys, values, hashes(keys));
        }

        private Sorted(Object[] keys, Object[] values, int[] hashes) {
            this.keys = keys;
            this.values = values;
            this.hashes = hashes;
        }

        private static int[] hashes(Object[] keys) {
            int[] h = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                h[i] = keys[i].hashCode();
            }
            return h;
        }

        /** The key's index, or a negative number when absent. */
        private int find(Object key) {
            if (keys.length > SCANNED) {
                return search(key);
            }
            int h = key.hashCode();
            for (int i = 0; i < hashes.length; i++) {
                if (hashes[i] == h && key.equals(keys[i])) {
                    return i;
                }
            }
            return -1;
        }

        /** The key's index, or {@code -(insertion point + 1)} when absent. */
        private int indexOf(Object key) {
            if (keys.length > SCANNED) {
                return search(key);
            }
            int i = find(key);
            return i >= 0 ? i : search(key);
        }

        @SuppressWarnings("unchecked")
        private int search(Object key) {
            int low = 0;
            int high = keys.length - 1;
            Comparable<Object> k = (Comparable<Object>) java.util.Objects.requireNonNull(key);
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int c = k.compareTo(keys[mid]);
                if (c == 0) {
                    return mid;
                }
                if (c > 0) {
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return -(low + 1);
        }

        Sorted<K, V> with(K key, V value) {
            int i = indexOf(key);
            if (i >= 0) {
                if (values[i] == value) {
                    return this;
                }
                Object[] v = values.clone();
                v[i] = value;
                return new Sorted<>(keys, v, hashes);
            }
            int at = -(i + 1);
            Object[] k = new Object[keys.length + 1];
            Object[] v = new Object[keys.length + 1];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(values, 0, v, 0, at);
            k[at] = key;
            v[at] = value;
            System.arraycopy(keys, at, k, at + 1, keys.length - at);
            System.arraycopy(values, at, v, at + 1, keys.length - at);
            return new Sorted<>(k, v);
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            int i = find(key);
            return i >= 0 ? (V) values[i] : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return find(key) >= 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(BiConsumer<? super K, ? super V> action) {
            for (int i = 0; i < keys.length; i++) {
                action.accept((K) keys[i], (V) values[i]);
            }
        }

        @Override
        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return keys.length;
                }

                @Override
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        @SuppressWarnings("unchecked")
                        public Map.Entry<K, V> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new AbstractMap.SimpleImmutableEntry<>((K) keys[i], (V) values[i]);
                        }
                    };
                }
            };
        }

        @Override
        public Comparator<? super K> comparator() {
            return null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public K firstKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return (K) keys[0];
        }

        @Override
        @SuppressWarnings("unchecked")
        public K lastKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return (K) keys[keys.length - 1];
        }

        @Override
        public SortedMap<K, V> subMap(K fromKey, K toKey) {
            if (fromKey.compareTo(toKey) > 0) {
                throw new IllegalArgumentException("fromKey > toKey");
            }
            return range(start(fromKey), start(toKey));
        }

        @Override
        public SortedMap<K, V> headMap(K toKey) {
            return range(0, start(toKey));
        }

        @Override
        public SortedMap<K, V> tailMap(K fromKey) {
            return range(start(fromKey), keys.length);
        }

        /** The index of the first key at or after {@code key}. */
        private int start(K key) {
            int i = indexOf(key);
            return i >= 0 ? i : -(i + 1);
        }

        /** A copy, not a view as {@code TreeMap} gives: nothing here ever changes, so the two cannot differ. */
        private SortedMap<K, V> range(int from, int to) {
            return new Sorted<>(Arrays.copyOfRange(keys, from, to), Arrays.copyOfRange(values, from, to));
        }
    }
}
