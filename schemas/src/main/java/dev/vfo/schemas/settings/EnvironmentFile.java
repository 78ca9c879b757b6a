package dev.vfo.schemas.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A settings file in systemd {@code EnvironmentFile=} syntax, the one format of every vfo process:
 * {@code KEY=value} a line; blank lines and lines starting with {@code #} or {@code ;} are
 * comments; a value may be quoted ({@code "..."} with {@code \"} and {@code \\} escapes, or
 * {@code '...'} taken literally); a line ending in {@code \} continues on the next; a later line
 * overrides an earlier one. So the file a unit hands to systemd is the file the process reads, and
 * the names are the environment's. A line that is not {@code KEY=value} is reported with its
 * number (never with its value: it may be a password), not skipped.
 *
 * @param values the settings in file order
 * @param problems one message per bad line, {@code <file>:<line>: <reason>}
 */
public record EnvironmentFile(Path source, Map<String, String> values, List<String> problems) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public EnvironmentFile {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        problems = List.copyOf(problems);
    }

    /** Reads and parses {@code file}; an unreadable file is an {@link InvalidSettings} naming it. */
    public static EnvironmentFile read(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidSettings("vfo", List.of(Settings.CONFIG_FILE + ": cannot read the config file " + file
                    + ": " + e));
        }
    }

    /** Parses {@code text}, as read from {@code source} (used in messages only). */
    public static EnvironmentFile parse(Path source, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (endsInContinuation(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(lines[++i]);
            }
            String line = logical.toString().strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.add(source + ":" + number + ": not KEY=value");
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (key.startsWith("export ")) {
                problems.add(source + ":" + number + ": 'export' is shell syntax; write " + key.substring(7).strip()
                        + "=value");
                continue;
            }
            if (!NAME.matcher(key).matches()) {
                problems.add(source + ":" + number + ": '" + key + "' is not a variable name (letters, digits, _)");
                continue;
            }
            String value = unquote(line.substring(eq + 1).strip());
            if (value == null) {
                problems.add(source + ":" + number + ": " + key + ": unterminated quote");
                continue;
            }
            values.put(key, value);
        }
        return new EnvironmentFile(source, values, problems);
    }

    private static boolean endsInContinuation(StringBuilder line) {
        return line.length() > 0 && line.charAt(line.length() - 1) == '\\';
    }

    /** The value without its quotes; null if a quote is not closed at the end. */
    private static String unquote(String v) {
        if (v.startsWith("'")) {
            return v.length() >= 2 && v.endsWith("'") ? v.substring(1, v.length() - 1) : null;
        }
        if (!v.startsWith("\"")) {
            return v;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                out.append(v.charAt(++i));
            } else if (c == '"') {
                return i == v.length() - 1 ? out.toString() : null;
            } else {
                out.append(c);
            }
        }
        return null;
    }
}
