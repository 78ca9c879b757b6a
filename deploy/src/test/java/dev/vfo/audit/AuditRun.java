package dev.vfo.audit;

import dev.vfo.cli.Vfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of {@code vfo audit ...}: exit code and what it printed. */
record AuditRun(int exitCode, String out, String err) {

    static AuditRun of(String... args) {
        CommandLine cl = Vfo.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new AuditRun(code, out.toString(), err.toString());
    }
}
