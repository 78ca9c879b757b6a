package dev.vfo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** One in-process run of the vfo command line, with what it wrote and its exit code. */
record VfoRun(int exitCode, String out, String err) {

    static VfoRun of(String... args) {
        return on(Vfo.commandLine(), args);
    }

    /** Runs on a given command line, e.g. one with a test-only subcommand added. */
    static VfoRun on(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new VfoRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().collect(Collectors.toList());
    }
}
