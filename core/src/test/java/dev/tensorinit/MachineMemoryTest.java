package dev.tensorinit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cgroup limit is found where batch schedulers put it: the job's own cgroup or a parent, v1 or v2, not the root. */
class MachineMemoryTest {
    @TempDir Path dir;

    private Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test void cgroupV2LimitOfTheJobOrAParent() throws IOException {
        Path root = dir.resolve("cg");
        write(root.resolve("memory.max"), "max\n");
        write(root.resolve("slurm/uid_0/memory.max"), "8589934592\n");
        write(root.resolve("slurm/uid_0/job_7/memory.max"), "max\n");
        Path proc = write(dir.resolve("cgroup"), "0::/slurm/uid_0/job_7\n");
        assertEquals(8L << 30, MachineMemory.cgroupLimit(proc, root));
        write(root.resolve("slurm/uid_0/job_7/memory.max"), "1073741824\n");
        assertEquals(1L << 30, MachineMemory.cgroupLimit(proc, root), "the lowest on the way up");
    }

    @Test void cgroupV1MemoryHierarchy() throws IOException {
        Path root = dir.resolve("cg");
        write(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");   // v1's "unlimited"
        write(root.resolve("memory/process_api/abc/memory.limit_in_bytes"), "1610612736\n");
        Path proc = write(dir.resolve("cgroup"), "9:name=systemd:/\n5:devices:/\n4:memory:/process_api/abc\n0::/\n");
        assertEquals(1536L << 20, MachineMemory.cgroupLimit(proc, root));
    }

    @Test void noLimitAnywhere() throws IOException {
        Path root = dir.resolve("cg");
        write(root.resolve("memory.max"), "max\n");
        assertEquals(Long.MAX_VALUE, MachineMemory.cgroupLimit(write(dir.resolve("cgroup"), "0::/\n"), root));
        assertEquals(Long.MAX_VALUE, MachineMemory.cgroupLimit(dir.resolve("missing"), root));
    }

    @Test void thisMachine() {
        // Linux here: both known, available at most the limit.
        assertTrue(MachineMemory.limit().isPresent() && MachineMemory.available().isPresent());
        assertTrue(MachineMemory.available().getAsLong() <= MachineMemory.limit().getAsLong());
    }
}
