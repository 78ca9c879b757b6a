package dev.vfo.core.protocol;

/** The one rule every identifier follows, so ids are safe as Kafka keys, file names and URL segments. */
final class Ids {
    static final int MAX_LENGTH = 128;

    /**
     * The allowed ASCII characters as a 128-bit set: every decoded record builds several ids, and
     * a chain of range tests per character was a few percent of the audit's time.
     */
    private static final long[] ALLOWED = new long[2];

    static {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/";
        for (char c : allowed.toCharArray()) {
            ALLOWED[c >>> 6] |= 1L << c;
        }
    }

    private Ids() {}

    static String check(String kind, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(kind + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(kind + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128 || (ALLOWED[c >>> 6] & (1L << c)) == 0) {
                throw new IllegalArgumentException(kind + " '" + value + "' has character '" + c
                        + "' at " + i + "; allowed are letters, digits and - _ . : /");
            }
        }
        return value;
    }
}
