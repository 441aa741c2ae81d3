package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the numbers came from: CPU model, cores, JDK, OS, load. */
final class SystemInfo {
    private SystemInfo() {}

    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    int c = l.indexOf(':');
                    if (c > 0) return l.substring(c + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + " (model unknown: " + e.getMessage() + ")";
        }
        return System.getProperty("os.arch") + " (no model name in /proc/cpuinfo)";
    }

    /** The 1-, 5- and 15-minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void describe(ObjectNode meta) {
        meta.put("cpu", cpuModel());
        meta.put("cores", Runtime.getRuntime().availableProcessors());
        meta.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) meta.put("memory", l.substring(9).strip());
            }
        } catch (IOException | RuntimeException ignored) {
            // memory size is informative only
        }
    }
}
