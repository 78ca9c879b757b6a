package dev.vfo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One vfo process in a JVM of its own, started as an operator would ({@code vfo <args>} with
 * {@code VFO_*} settings in the environment) on this JVM's class path, so no jar needs building.
 * Its stdout and stderr go to one log file. It can be killed (SIGKILL, no shutdown hook runs),
 * frozen and thawed (SIGSTOP/SIGCONT), and started again with the same arguments and environment.
 */
final class Child {
    /** Small heap and the C1 compiler only: the fleet shares two cores and should start fast. */
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final String name;
    private final Path log;
    private final Map<String, String> env;
    private final List<String> args;
    private Process process;
    private int starts;

    private Child(String name, Path log, Map<String, String> env, List<String> args) {
        this.name = name;
        this.log = log;
        this.env = Map.copyOf(env);
        this.args = List.copyOf(args);
    }

    static Child start(String name, Path log, Map<String, String> env, List<String> vfoArgs) {
        Child c = new Child(name, log, env, vfoArgs);
        c.start();
        return c;
    }

    String name() {
        return name;
    }

    /** (Re)starts the process; its output is appended to the same log, after a marker line. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vfo.cli.Vfo");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Only the settings given here: a VFO_* variable of the test's own environment (VFO_KAFKA
        // picks the test broker) would otherwise reach the child as a Kafka client property.
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> k.startsWith("VFO_"));
        childEnv.putAll(env);
        try {
            Files.writeString(log, "=== start " + (++starts) + " of " + name + ": vfo " + String.join(" ", args) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** kill -9: the process gets no chance to flush, close or deregister anything. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /** SIGSTOP: the process is frozen as a whole (a hung host), its sockets stay open. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: the frozen process carries on where it stopped. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /** The process's output so far (all its runs). */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    Path log() {
        return log;
    }

    /** The environment it runs with (a copy). */
    Map<String, String> env() {
        return new HashMap<>(env);
    }
}
