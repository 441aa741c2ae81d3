package dev.tensorinit.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory a run can take without meeting the kernel's OOM killer: the host's MemAvailable (free memory plus what the
 * page cache can give back), or less inside a container or cgroup whose limit is lower (the JDK reads its cgroup v1
 * or v2 limit). Asked only for large explicit --buffer-memory values, so a default run loads nothing for it.
 */
final class HostMemory {
    private HostMemory() {}

    /** Bytes available now; empty when neither /proc/meminfo nor the JDK can tell (not Linux). */
    static OptionalLong available() {
        OptionalLong meminfo = meminfo("MemAvailable:"), total = meminfo("MemTotal:");
        long best = meminfo.orElse(Long.MAX_VALUE);
        // getTotalMemorySize is the cgroup's limit when one is below the host's memory, and getFreeMemorySize then the
        // limit less the cgroup's usage; outside one it is MemFree, which leaves out the page cache, so it is not used.
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && total.isPresent() && os.getTotalMemorySize() > 0 && os.getTotalMemorySize() < total.getAsLong()) {
            best = Math.min(best, Math.max(0, os.getFreeMemorySize()));
        }
        return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private static OptionalLong meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    String[] f = line.substring(key.length()).strip().split("\\s+");
                    return OptionalLong.of(Math.multiplyExact(Long.parseLong(f[0]), f.length > 1 && f[1].equals("kB") ? 1024L : 1L));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: unknown
        }
        return OptionalLong.empty();
    }
}
