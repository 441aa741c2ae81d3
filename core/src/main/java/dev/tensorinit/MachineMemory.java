package dev.tensorinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * This process's share of the machine's memory, from /proc and the cgroup file system (Linux): the machine's memory
 * or the lowest memory limit of this process's cgroup and its parents, v2 ({@code memory.max}) or v1
 * ({@code memory.limit_in_bytes}), as a batch scheduler (SLURM, Grid Engine) or a container sets it. Plain files,
 * read when asked: no management classes to load on a fill's path.
 */
public final class MachineMemory {
    private MachineMemory() {}

    /** The lower of the machine's memory (MemTotal) and this process's cgroup limit; empty when neither is known. */
    public static OptionalLong limit() {
        long limit = Math.min(meminfo("MemTotal:").orElse(Long.MAX_VALUE), cgroupLimit(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup")));
        return limit == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /**
     * Memory a run can still take: MemAvailable (free memory plus the page cache the kernel can give back), at most the
     * {@link #limit}. A cgroup's own usage is not subtracted: it counts page cache the kernel would reclaim (a
     * checkpoint just written), and refusing on it turned a healthy machine down.
     */
    public static OptionalLong available() {
        long a = Math.min(meminfo("MemAvailable:").orElse(Long.MAX_VALUE), limit().orElse(Long.MAX_VALUE));
        return a == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(a);
    }

    /** The lowest memory limit on the way from this process's cgroup up to the root; Long.MAX_VALUE for none. */
    static long cgroupLimit(Path procCgroup, Path root) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procCgroup);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
        long best = Long.MAX_VALUE;
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) {   // cgroup v2: one hierarchy
                best = Math.min(best, lowestOnPath(root, f[2], "memory.max"));
            } else if (List.of(f[1].split(",")).contains("memory")) {   // cgroup v1: the memory controller's hierarchy
                best = Math.min(best, lowestOnPath(root.resolve("memory"), f[2], "memory.limit_in_bytes"));
            }
        }
        return best;
    }

    private static long lowestOnPath(Path mount, String cgroup, String file) {
        long best = Long.MAX_VALUE;
        Path p = mount;
        for (String part : ("/" + cgroup).split("/")) {
            if (!part.isEmpty()) p = p.resolve(part);
        }
        for (; p != null && p.startsWith(mount); p = p.getParent()) {
            try {
                String v = Files.readString(p.resolve(file)).strip();
                if (v.matches("[0-9]{1,18}")) best = Math.min(best, Long.parseLong(v));   // "max", or v1's "unlimited" 2^63 - 4096
            } catch (IOException | RuntimeException e) {
                // not there at this level (another mount, a cgroup namespace): nothing to add
            }
        }
        return best;
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
            // not Linux, or no procfs
        }
        return OptionalLong.empty();
    }
}
