package dev.vfo.core.vfio.abi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Compiles {@code src/test/c/vfio_probe.c} against the machine's {@code <linux/vfio.h>} and reads
 * its {@code name=value} lines. A missing compiler or header is an {@link Unavailable} outcome (the
 * caller decides between skip and fail); any other compile or run failure means the probe itself
 * is broken and fails the test outright.
 */
final class HeaderProbe {

    sealed interface Outcome permits Ran, Unavailable {}

    /** What the header says: every probed name, with its value or empty when this header lacks it. */
    record Ran(Map<String, OptionalLong> values, String compilerOutput) implements Outcome {}

    /** The toolchain cannot answer here: no compiler, or no kernel headers. */
    record Unavailable(String reason) implements Outcome {}

    private static final long TIMEOUT_SECONDS = 60;

    private HeaderProbe() {}

    static Outcome run(String compiler, List<String> extraArgs, Path source, Path binary) {
        try {
            Files.createDirectories(binary.getParent());
        } catch (IOException e) {
            throw new AssertionError("cannot create " + binary.getParent(), e);
        }
        List<String> compile = new ArrayList<>(List.of(compiler, "-std=c11", "-Wall", "-Wextra"));
        compile.addAll(extraArgs);
        compile.addAll(List.of("-o", binary.toString(), source.toString()));
        Result cc;
        try {
            cc = exec(compile);
        } catch (IOException e) {
            return new Unavailable("C compiler '" + compiler + "' cannot be run (" + e.getMessage()
                    + "); install gcc to check the ABI constants against <linux/vfio.h>");
        }
        if (cc.exit != 0) {
            if (cc.output.contains("linux/vfio.h")
                    && (cc.output.contains("No such file") || cc.output.contains("no include path"))) {
                return new Unavailable("<linux/vfio.h> is not installed (Debian: apt-get install linux-libc-dev):\n"
                        + cc.output);
            }
            throw new AssertionError("the header probe does not compile (a bug in " + source + "):\n"
                    + String.join(" ", compile) + "\n" + cc.output);
        }
        Result probe;
        try {
            probe = exec(List.of(binary.toString()));
        } catch (IOException e) {
            throw new AssertionError("cannot run the compiled probe " + binary, e);
        }
        if (probe.exit != 0) {
            throw new AssertionError("the probe exited with " + probe.exit + ":\n" + probe.output);
        }
        return new Ran(parse(probe.output), cc.output);
    }

    /** {@code name=number} or {@code name=absent}, one per line; anything else is a broken probe. */
    static Map<String, OptionalLong> parse(String output) {
        Map<String, OptionalLong> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq <= 0) {
                throw new AssertionError("probe line is not name=value: '" + line + "'");
            }
            String name = line.substring(0, eq);
            String value = line.substring(eq + 1);
            OptionalLong parsed;
            try {
                parsed = value.equals("absent") ? OptionalLong.empty() : OptionalLong.of(Long.parseUnsignedLong(value));
            } catch (NumberFormatException e) {
                throw new AssertionError("probe value is neither a number nor 'absent': '" + line + "'", e);
            }
            if (values.put(name, parsed) != null) {
                throw new AssertionError("probe prints " + name + " twice");
            }
        }
        return values;
    }

    private record Result(int exit, String output) {}

    private static Result exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
