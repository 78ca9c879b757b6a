package dev.vfo.schemas.settings;

import java.util.Locale;

/**
 * Which settings hold secrets, by name: passwords, JAAS lines (they embed passwords), secrets,
 * tokens and private keys. Their values are shown as {@code ***}, in errors and in {@code toString}.
 */
public final class Secrets {
    public static final String MASK = "***";

    private Secrets() {
    }

    /** True for a variable ({@code VFO_API_TOKENS}) or a client property ({@code ssl.key.password}) holding a secret. */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '.');
        return n.contains("password") || n.contains("jaas") || n.contains("secret") || n.contains("token")
                || n.endsWith(".key") || n.contains(".keystore.key") || n.contains("private");
    }

    /** The value as it may be shown. */
    public static String shown(String name, String value) {
        return isSecret(name) ? MASK : value;
    }
}
