package dev.vfo.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens the API accepts.
 *
 * <p>Format (the same in a token file and in {@code VFO_API_TOKENS}): entries
 * {@code name:role:token}, separated by line breaks or commas; blank lines and lines starting
 * with {@code #} are ignored. {@code role} is {@code viewer} or {@code operator}; {@code token}
 * has at least {@value #MIN_TOKEN_LENGTH} characters of {@code [A-Za-z0-9._~+/=-]} (e.g.
 * {@code openssl rand -base64 32}).
 */
public final class TokenRegistry {
    public static final int MIN_TOKEN_LENGTH = 24;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]+");

    private record Entry(Caller caller, byte[] digest) {}

    private final List<Entry> entries;

    private TokenRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static TokenRegistry empty() {
        return new TokenRegistry(List.of());
    }

    /**
     * Parses {@code text}; {@code origin} (a file name or variable name) prefixes every error so
     * the operator knows where to look. Errors never quote a token.
     */
    public static TokenRegistry parse(String text, String origin) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        int position = 0;
        for (String raw : text.split("[\\r\\n,]")) {
            position++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = origin + " entry " + position;
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + ": expected name:role:token");
            }
            String name = parts[0].strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": name '" + name
                        + "' must be 1-64 of letters, digits and . _ @ -");
            }
            Role role;
            try {
                role = Role.parse(parts[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " (" + name + "): " + e.getMessage(), e);
            }
            String token = parts[2].strip();
            if (token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException(where + " (" + name + "): the token must have at least "
                        + MIN_TOKEN_LENGTH + " characters of letters, digits and . _ ~ + / = -");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": name '" + name + "' appears twice");
            }
            byte[] digest = sha256(token);
            if (!digests.add(hex(digest))) {
                throw new IllegalArgumentException(where + " (" + name + "): the same token is listed twice");
            }
            entries.add(new Entry(new Caller(name, role), digest));
        }
        return new TokenRegistry(entries);
    }

    /** This registry and {@code other}'s entries; names and tokens must stay unique. */
    public TokenRegistry with(TokenRegistry other) {
        List<Entry> all = new ArrayList<>(entries);
        for (Entry e : other.entries) {
            for (Entry mine : entries) {
                if (mine.caller.name().equals(e.caller.name())) {
                    throw new IllegalArgumentException("token name '" + e.caller.name() + "' is defined twice");
                }
                if (MessageDigest.isEqual(mine.digest, e.digest)) {
                    throw new IllegalArgumentException("token of '" + e.caller.name() + "' is also the token of '"
                            + mine.caller.name() + "'");
                }
            }
            all.add(e);
        }
        return new TokenRegistry(all);
    }

    /**
     * The caller {@code presented} belongs to. Compares the digest with every entry, with no
     * early exit, using {@link MessageDigest#isEqual} (constant time): how long this takes does not
     * depend on which entry matches or how much of a guess was right.
     */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = sha256(presented);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest)) {
                found = e.caller;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "TokenRegistry" + entries.stream().map(e -> e.caller.name() + ":" + e.caller.role().label()).toList();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
