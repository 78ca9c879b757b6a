package dev.vfo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Where the numbers were measured: CPUs, CPU model, memory, JDK, Kafka client version, the load
 * average, and the CPU time stolen or spent by other processes while the suite ran (a shared
 * machine's numbers are only comparable with that next to them). Linux /proc when present.
 */
public final class Machine {

    private Machine() {}

    /** A /proc/stat "cpu" line: total and idle jiffies, steal separately. */
    public record CpuTimes(long total, long idle, long steal) {
        static Optional<CpuTimes> read() {
            return lines("/proc/stat").stream().filter(l -> l.startsWith("cpu ")).findFirst().map(l -> {
                String[] f = l.trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new CpuTimes(total, idle, steal);
            });
        }
    }

    public static Optional<CpuTimes> cpuTimes() {
        return CpuTimes.read();
    }

    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("cpu_model", lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown"));
        m.put("memory", lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.replaceAll("\\s+", " ").substring("MemTotal: ".length())).findFirst().orElse("unknown"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("max_heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        m.put("kafka", AppInfoParser.getVersion());
        m.put("load_average", loadAverage());
        return m;
    }

    public static String loadAverage() {
        return lines("/proc/loadavg").stream().findFirst().map(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3)))
                .orElse("unknown");
    }

    /** Busy share of all CPUs between two readings, and the stolen share. */
    public static Map<String, String> busy(Optional<CpuTimes> before, Optional<CpuTimes> after) {
        Map<String, String> m = new LinkedHashMap<>();
        if (before.isPresent() && after.isPresent()) {
            double total = after.get().total() - before.get().total();
            if (total > 0) {
                m.put("cpu_busy_during_run", String.format("%.0f%%", 100 * (1 - (after.get().idle() - before.get().idle())
                        / total)));
                m.put("cpu_steal_during_run", String.format("%.1f%%", 100 * (after.get().steal() - before.get().steal())
                        / total));
            }
        }
        return m;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
