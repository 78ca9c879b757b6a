package dev.vfo.schemas.codec;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Proves that a byte range is exactly one binary-encoded datum of a writer schema, before Avro
 * decodes it.
 *
 * <p>Why a separate pass: Avro's {@code BinaryDecoder} allocates a string, bytes or array of the
 * length a varint claims before it notices that the bytes are not there, and its only bound is
 * the JVM-wide {@code org.apache.avro.limits.*} system properties (read once, when
 * {@code SystemLimitException} loads; 2 GiB by default). A record from the log is already in
 * memory, so the true bound is much tighter: no length can exceed the bytes that remain. This walk
 * checks that and every other structural rule (varint width, enum and union indexes, booleans,
 * UTF-8, no trailing bytes), allocates nothing proportional to claimed lengths, and reports where
 * the bytes went wrong. After it passes, Avro's decoder only ever sees a valid encoding.
 *
 * <p>Collections: each item of a non-empty-encoding item type takes at least one byte, so a block
 * count is bounded by the remaining bytes. Items that encode to zero bytes (null, empty records)
 * are capped at {@link #MAX_EMPTY_ITEMS} per collection; vfo's schemas have none.
 */
final class EncodingCheck {

    static final int MAX_EMPTY_ITEMS = 1024;

    private final byte[] bytes;
    private final int end;
    private int pos;
    /**
     * Where the walk is, for a failure's message only: built into a string when a failure is
     * reported, never on the way (concatenating a path per field was most of the walk's cost).
     */
    private int[] kinds = new int[16];
    private String[] names = new String[16];
    private long[] items = new long[16];
    private int depth;

    private static final int ROOT = 0;
    private static final int FIELD = 1;
    private static final int ITEM = 2;
    private static final int KEY = 3;
    private static final Schema STRING = Schema.create(Schema.Type.STRING);

    private EncodingCheck(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
    }

    /** Empty when {@code bytes[start, end)} is exactly one datum of {@code writer}. */
    static Optional<Failure> check(Schema writer, byte[] bytes, int start, int end) {
        EncodingCheck walk = new EncodingCheck(bytes, start, end);
        try {
            walk.push(ROOT, writer.getName(), 0);
            walk.value(writer);
        } catch (Refused r) {
            return Optional.of(r.failure);
        }
        if (walk.pos != end) {
            return Optional.of(new Failure(Failure.Reason.TRAILING_BYTES,
                    (end - walk.pos) + " bytes after the end of " + writer.getFullName()));
        }
        return Optional.empty();
    }

    /** Internal control flow only: carries the first failure out of the recursive walk. */
    private static final class Refused extends Exception {
        final transient Failure failure;

        Refused(Failure.Reason reason, String detail) {
            super(detail, null, false, false);
            this.failure = new Failure(reason, detail);
        }
    }

    private void value(Schema s) throws Refused {
        switch (s.getType()) {
            case NULL:
                return;
            case BOOLEAN: {
                need(1);
                int b = bytes[pos++];
                if (b != 0 && b != 1) {
                    throw new Refused(Failure.Reason.INVALID_BOOLEAN, path() + ": boolean byte " + b + " at " + (pos - 1));
                }
                return;
            }
            case INT:
                varint(5);
                return;
            case LONG:
                varint(10);
                return;
            case FLOAT:
                need(4);
                pos += 4;
                return;
            case DOUBLE:
                need(8);
                pos += 8;
                return;
            case STRING: {
                int n = length();
                if (!wellFormedUtf8(bytes, pos, pos + n)) {
                    throw new Refused(Failure.Reason.INVALID_UTF8, path() + ": string of " + n + " bytes at " + pos
                            + " is not UTF-8");
                }
                pos += n;
                return;
            }
            case BYTES: {
                int n = length(); // not "pos += length(..)": that would add to pos as it was before the varint
                pos += n;
                return;
            }
            case FIXED:
                need(s.getFixedSize());
                pos += s.getFixedSize();
                return;
            case ENUM: {
                int at = pos;
                long i = varint(5);
                if (i < 0 || i >= s.getEnumSymbols().size()) {
                    throw new Refused(Failure.Reason.INVALID_ENUM, path() + ": enum " + s.getName() + " index " + i
                            + " at " + at + ", symbols are 0.." + (s.getEnumSymbols().size() - 1));
                }
                return;
            }
            case UNION: {
                int at = pos;
                long i = varint(5);
                if (i < 0 || i >= s.getTypes().size()) {
                    throw new Refused(Failure.Reason.INVALID_UNION, path() + ": union index " + i + " at " + at
                            + ", branches are 0.." + (s.getTypes().size() - 1));
                }
                value(s.getTypes().get((int) i));
                return;
            }
            case RECORD:
                for (Schema.Field f : s.getFields()) {
                    push(FIELD, f.name(), 0);
                    value(f.schema());
                    depth--;
                }
                return;
            case ARRAY:
                collection(s.getElementType(), false);
                return;
            case MAP:
                collection(s.getValueType(), true);
                return;
            default:
                throw new Refused(Failure.Reason.INCOMPATIBLE_SCHEMA, path() + ": unsupported schema type " + s.getType());
        }
    }

    private void collection(Schema items, boolean map) throws Refused {
        boolean emptyItems = !map && encodesToNothing(items);
        long total = 0;
        while (true) {
            int at = pos;
            long count = varint(10);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw new Refused(Failure.Reason.INVALID_LENGTH, path() + ": block count " + count + " at " + at);
                }
                count = -count;
                long size = varint(10);
                if (size < 0 || size > end - pos) {
                    throw new Refused(Failure.Reason.INVALID_LENGTH, path() + ": block size " + size + " at " + at
                            + " but " + (end - pos) + " bytes remain");
                }
            }
            total += count;
            long bound = emptyItems ? MAX_EMPTY_ITEMS : end - pos;
            if (total > bound) {
                throw new Refused(Failure.Reason.INVALID_LENGTH, path() + ": " + count + " items at " + at + " but "
                        + (end - pos) + " bytes remain");
            }
            for (long i = 0; i < count; i++) {
                push(ITEM, null, i);
                if (map) {
                    push(KEY, null, 0);
                    value(STRING);
                    depth--;
                }
                value(items);
                depth--;
            }
        }
    }

    /** True for types whose every value encodes to zero bytes. */
    static boolean encodesToNothing(Schema s) {
        switch (s.getType()) {
            case NULL:
                return true;
            case FIXED:
                return s.getFixedSize() == 0;
            case RECORD:
                return s.getFields().stream().allMatch(f -> encodesToNothing(f.schema()));
            default:
                return false;
        }
    }

    private int length() throws Refused {
        int at = pos;
        long n = varint(10);
        if (n < 0 || n > end - pos) {
            throw new Refused(Failure.Reason.INVALID_LENGTH, path() + ": length " + n + " at " + at + " but "
                    + (end - pos) + " bytes remain");
        }
        return (int) n;
    }

    private void need(int n) throws Refused {
        if (end - pos < n) {
            throw new Refused(Failure.Reason.TRUNCATED, path() + ": needs " + n + " bytes at " + pos + ", "
                    + (end - pos) + " remain");
        }
    }

    private void push(int kind, String name, long item) {
        if (depth == kinds.length) {
            kinds = java.util.Arrays.copyOf(kinds, depth * 2);
            names = java.util.Arrays.copyOf(names, depth * 2);
            items = java.util.Arrays.copyOf(items, depth * 2);
        }
        kinds[depth] = kind;
        names[depth] = name;
        items[depth] = item;
        depth++;
    }

    /** The path to the current value, e.g. {@code LogEntry.event.devices[2].key}. */
    private String path() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            switch (kinds[i]) {
                case ROOT:
                    b.append(names[i]);
                    break;
                case FIELD:
                    b.append('.').append(names[i]);
                    break;
                case ITEM:
                    b.append('[').append(items[i]).append(']');
                    break;
                default:
                    b.append(".key");
                    break;
            }
        }
        return b.toString();
    }

    /**
     * Whether {@code bytes[from, to)} is well-formed UTF-8 (Unicode 3.9, table 3-7: no overlong
     * forms, no surrogates, nothing above U+10FFFF), the sequences a strict JDK decoder accepts,
     * without decoding into a buffer.
     */
    static boolean wellFormedUtf8(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int trail;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                trail = 1;
            } else if (b == 0xE0) {
                trail = 2;
                low = 0xA0;
            } else if (b == 0xED) {
                trail = 2;
                high = 0x9F;
            } else if (b >= 0xE1 && b <= 0xEF) {
                trail = 2;
            } else if (b == 0xF0) {
                trail = 3;
                low = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                trail = 3;
            } else if (b == 0xF4) {
                trail = 3;
                high = 0x8F;
            } else {
                return false;
            }
            if (to - i - 1 < trail) {
                return false;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= trail; k++) {
                int c = bytes[i + k] & 0xff;
                if (c < 0x80 || c > 0xBF) {
                    return false;
                }
            }
            i += trail + 1;
        }
        return true;
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes (5 for int, 10 for long), decoded. */
    private long varint(int maxBytes) throws Refused {
        int at = pos;
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= end) {
                throw new Refused(Failure.Reason.TRUNCATED, path() + ": varint at " + at + " runs past the end");
            }
            int b = bytes[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                boolean fits = maxBytes == 5 ? (raw >>> 32) == 0 : i < 9 || b <= 1;
                if (!fits) {
                    throw new Refused(Failure.Reason.INVALID_VARINT, path() + ": varint at " + at + " overflows");
                }
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new Refused(Failure.Reason.INVALID_VARINT, path() + ": varint at " + at + " is longer than "
                + maxBytes + " bytes");
    }
}
