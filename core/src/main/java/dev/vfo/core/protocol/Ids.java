package dev.vfo.core.protocol;

/** The one rule every identifier follows, so ids are safe as Kafka keys, file names and URL segments. */
final class Ids {
    static final int MAX_LENGTH = 128;

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
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
            if (!ok) {
                throw new IllegalArgumentException(kind + " '" + value + "' has character '" + c
                        + "' at " + i + "; allowed are letters, digits and - _ . : /");
            }
        }
        return value;
    }
}
