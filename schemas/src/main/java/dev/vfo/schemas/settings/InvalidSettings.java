package dev.vfo.schemas.settings;

import java.util.List;

/** Settings a process cannot start with: every problem found, one a line, secrets masked. */
public final class InvalidSettings extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidSettings(String process, List<String> problems) {
        super("invalid " + process + " configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
