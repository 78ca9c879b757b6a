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

    /**
     * Empty when {@code bytes[start, end)} is exactly one datum of {@code writer}, whose compiled
     * form is {@code program}. The compiled walk decides; only a refused datum is walked a second
     * time, over the schema, to say where it went wrong, with positions counted from
     * {@code origin} (where its encoding begins, also when it lies inside another record's bytes).
     */
    static Optional<Failure> check(Program program, Schema writer, byte[] bytes, int origin, int start, int end) {
        if (program.accepts(bytes, start, end)) {
            return Optional.empty();
        }
        Optional<Failure> why = check(writer, java.util.Arrays.copyOfRange(bytes, origin, end), start - origin,
                end - origin);
        if (why.isEmpty()) {
            throw new IllegalStateException("the compiled walk refused a datum of " + writer.getFullName()
                    + " that the schema walk accepts");
        }
        return why;
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

    /**
     * A writer schema compiled for the walk every record takes: the same rules as the schema walk
     * above, as a flat instruction array with no path bookkeeping, because interpreting
     * {@link Schema} objects field by field was a tenth of the audit's time. It only says yes or no;
     * {@link #check(Program, Schema, byte[], int, int)} asks the schema walk for the reason.
     *
     * <p>Code layout: a routine is a run of instructions ending in {@code RET}. Records are
     * inlined into their parent's routine, except a record that refers back to itself, which is
     * its own routine reached by {@code CALL}. Operands follow their opcode.
     */
    static final class Program {
        private static final int RET = 0;
        private static final int BOOLEAN = 1;
        private static final int INT = 2;
        private static final int LONG = 3;
        private static final int SKIP = 4; // operand: fixed byte count (float, double, fixed)
        private static final int STRING = 5;
        private static final int BYTES = 6;
        private static final int ENUM = 7; // operand: symbol count
        private static final int UNION = 8; // operands: branch count, then each branch's routine
        private static final int ARRAY = 9; // operands: item routine, 1 if items encode to nothing
        private static final int MAP = 10; // operand: value routine
        private static final int CALL = 11; // operand: routine

        private int[] code = new int[64];
        private int size;
        private final int entry;
        /** Records being compiled, by full name, with the routine a recursive reference calls. */
        private final java.util.Map<String, Integer> open = new java.util.HashMap<>();

        private Program(Schema writer) {
            entry = routine(writer);
            code = java.util.Arrays.copyOf(code, size);
        }

        static Program compile(Schema writer) {
            return new Program(writer);
        }

        /** Whether {@code bytes[start, end)} is exactly one datum. */
        boolean accepts(byte[] bytes, int start, int end) {
            Walk w = new Walk(bytes, start, end);
            return w.run(code, entry) && w.pos == end;
        }

        private int routine(Schema s) {
            // Routines the body needs (union branches, collection items) are placed first.
            return place(new Program.Emitter(this).body(s));
        }

        /** Appends {@code body} and a {@code RET}; returns where the routine starts. */
        private int place(int[] body) {
            int at = size;
            for (int op : body) {
                emit(op);
            }
            emit(RET);
            return at;
        }

        private void emit(int op) {
            if (size == code.length) {
                code = java.util.Arrays.copyOf(code, size * 2);
            }
            code[size++] = op;
        }

        /** Emits one schema's instructions into a buffer of its own, so nested routines can be placed first. */
        private static final class Emitter {
            private final Program program;
            private int[] out = new int[32];
            private int n;

            Emitter(Program program) {
                this.program = program;
            }

            int[] body(Schema s) {
                value(s);
                return java.util.Arrays.copyOf(out, n);
            }

            private void put(int op) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = op;
            }

            private void value(Schema s) {
                switch (s.getType()) {
                    case NULL:
                        return;
                    case BOOLEAN:
                        put(BOOLEAN);
                        return;
                    case INT:
                        put(INT);
                        return;
                    case LONG:
                        put(LONG);
                        return;
                    case FLOAT:
                        put(SKIP);
                        put(4);
                        return;
                    case DOUBLE:
                        put(SKIP);
                        put(8);
                        return;
                    case FIXED:
                        put(SKIP);
                        put(s.getFixedSize());
                        return;
                    case STRING:
                        put(STRING);
                        return;
                    case BYTES:
                        put(BYTES);
                        return;
                    case ENUM:
                        put(ENUM);
                        put(s.getEnumSymbols().size());
                        return;
                    case UNION: {
                        int[] branches = new int[s.getTypes().size()];
                        for (int i = 0; i < branches.length; i++) {
                            branches[i] = program.routine(s.getTypes().get(i));
                        }
                        put(UNION);
                        put(branches.length);
                        for (int b : branches) {
                            put(b);
                        }
                        return;
                    }
                    case RECORD: {
                        Integer recursive = program.open.get(s.getFullName());
                        if (recursive != null) {
                            put(CALL);
                            put(recursive);
                            return;
                        }
                        if (refersTo(s, s.getFullName(), new java.util.HashSet<>())) {
                            // Compiled as a routine of its own, whose address is known before its body is.
                            put(CALL);
                            put(program.recursiveRoutine(s));
                            return;
                        }
                        for (Schema.Field f : s.getFields()) {
                            value(f.schema());
                        }
                        return;
                    }
                    case ARRAY: {
                        int items = program.routine(s.getElementType());
                        put(ARRAY);
                        put(items);
                        put(encodesToNothing(s.getElementType()) ? 1 : 0);
                        return;
                    }
                    case MAP: {
                        int values = program.routine(s.getValueType());
                        put(MAP);
                        put(values);
                        return;
                    }
                    default:
                        throw new IllegalArgumentException("unsupported schema type " + s.getType());
                }
            }
        }

        /**
         * A self-referring record: its routine's address is fixed (a {@code CALL} placeholder
         * patched to the body) before the body is compiled, so references inside it can call it.
         */
        private int recursiveRoutine(Schema s) {
            int stub = size;
            emit(CALL);
            emit(-1);
            emit(RET);
            open.put(s.getFullName(), stub);
            Emitter e = new Emitter(this);
            for (Schema.Field f : s.getFields()) {
                e.value(f.schema());
            }
            code[stub + 1] = place(java.util.Arrays.copyOf(e.out, e.n));
            open.remove(s.getFullName());
            return stub;
        }

        /** Whether {@code s} contains a reference to the record named {@code name}. */
        private static boolean refersTo(Schema s, String name, java.util.Set<String> seen) {
            switch (s.getType()) {
                case RECORD:
                    if (!seen.add(s.getFullName())) {
                        return s.getFullName().equals(name);
                    }
                    for (Schema.Field f : s.getFields()) {
                        if (refersTo(f.schema(), name, seen)) {
                            return true;
                        }
                    }
                    return false;
                case UNION:
                    for (Schema t : s.getTypes()) {
                        if (refersTo(t, name, seen)) {
                            return true;
                        }
                    }
                    return false;
                case ARRAY:
                    return refersTo(s.getElementType(), name, seen);
                case MAP:
                    return refersTo(s.getValueType(), name, seen);
                default:
                    return false;
            }
        }

        /** One walk over one datum; any rule broken ends it with {@code false}. */
        private static final class Walk {
            private final byte[] bytes;
            private final int end;
            private int pos;
            private boolean broken;

            Walk(byte[] bytes, int start, int end) {
                this.bytes = bytes;
                this.pos = start;
                this.end = end;
            }

            boolean run(int[] code, int pc) {
                while (true) {
                    switch (code[pc]) {
                        case RET:
                            return true;
                        case BOOLEAN:
                            if (pos >= end || (bytes[pos] & 0xfe) != 0) {
                                return false;
                            }
                            pos++;
                            pc++;
                            break;
                        case INT:
                            varint(5);
                            if (broken) {
                                return false;
                            }
                            pc++;
                            break;
                        case LONG:
                            varint(10);
                            if (broken) {
                                return false;
                            }
                            pc++;
                            break;
                        case SKIP:
                            if (end - pos < code[pc + 1]) {
                                return false;
                            }
                            pos += code[pc + 1];
                            pc += 2;
                            break;
                        case STRING: {
                            long n = varint(10);
                            if (broken || n < 0 || n > end - pos || !wellFormedUtf8(bytes, pos, pos + (int) n)) {
                                return false;
                            }
                            pos += (int) n;
                            pc++;
                            break;
                        }
                        case BYTES: {
                            long n = varint(10);
                            if (broken || n < 0 || n > end - pos) {
                                return false;
                            }
                            pos += (int) n;
                            pc++;
                            break;
                        }
                        case ENUM: {
                            long i = varint(5);
                            if (broken || i < 0 || i >= code[pc + 1]) {
                                return false;
                            }
                            pc += 2;
                            break;
                        }
                        case UNION: {
                            long i = varint(5);
                            if (broken || i < 0 || i >= code[pc + 1] || !run(code, code[pc + 2 + (int) i])) {
                                return false;
                            }
                            pc += 2 + code[pc + 1];
                            break;
                        }
                        case ARRAY:
                            if (!collection(code, code[pc + 1], code[pc + 2] == 1, false)) {
                                return false;
                            }
                            pc += 3;
                            break;
                        case MAP:
                            if (!collection(code, code[pc + 1], false, true)) {
                                return false;
                            }
                            pc += 2;
                            break;
                        case CALL:
                            if (!run(code, code[pc + 1])) {
                                return false;
                            }
                            pc += 2;
                            break;
                        default:
                            throw new IllegalStateException("no instruction " + code[pc]);
                    }
                }
            }

            private boolean collection(int[] code, int items, boolean emptyItems, boolean map) {
                long total = 0;
                while (true) {
                    long count = varint(10);
                    if (broken) {
                        return false;
                    }
                    if (count == 0) {
                        return true;
                    }
                    if (count < 0) {
                        if (count == Long.MIN_VALUE) {
                            return false;
                        }
                        count = -count;
                        long size = varint(10);
                        if (broken || size < 0 || size > end - pos) {
                            return false;
                        }
                    }
                    total += count;
                    if (total > (emptyItems ? MAX_EMPTY_ITEMS : end - pos)) {
                        return false;
                    }
                    for (long i = 0; i < count; i++) {
                        if (map) {
                            long n = varint(10);
                            if (broken || n < 0 || n > end - pos || !wellFormedUtf8(bytes, pos, pos + (int) n)) {
                                return false;
                            }
                            pos += (int) n;
                        }
                        if (!run(code, items)) {
                            return false;
                        }
                    }
                }
            }

            /** As {@link EncodingCheck#varint}, but a broken varint sets {@code broken} instead of throwing. */
            private long varint(int maxBytes) {
                long raw = 0;
                for (int i = 0; i < maxBytes; i++) {
                    if (pos >= end) {
                        broken = true;
                        return 0;
                    }
                    int b = bytes[pos++] & 0xff;
                    raw |= (long) (b & 0x7f) << (7 * i);
                    if ((b & 0x80) == 0) {
                        if (maxBytes == 5 ? (raw >>> 32) != 0 : i == 9 && b > 1) {
                            broken = true;
                            return 0;
                        }
                        return (raw >>> 1) ^ -(raw & 1);
                    }
                }
                broken = true;
                return 0;
            }
        }
    }
}
