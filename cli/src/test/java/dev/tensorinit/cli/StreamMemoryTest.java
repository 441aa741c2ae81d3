package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Buffers larger than the memory available are refused before anything is filled (in a 1.5 GiB cgroup,
 * --buffer-memory 4G was killed by the OOM killer, exit 137, no message); only what a run would really hold counts.
 */
class StreamMemoryTest {
    @TempDir Path dir;

    private static final long GIB = 1L << 30;

    @Test void buffersAboveTheMemoryAvailableAreRefusedNamingTheFlag() {
        StreamMemory m = StreamMemory.of("4G");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.requireAvailable("4G", 8 * GIB, () -> OptionalLong.of(GIB)));
        assertEquals("--buffer-memory 4G would hold 4.00 GiB of this run's data in memory, but only 1.00 GiB is available now "
                + "(within a container's limit where there is one), and the JVM needs 256 MiB of it; ask for less", e.getMessage());
        // QA: 1445 MiB of buffers in a 1.5 GiB cgroup passed a check that left the JVM nothing, and was OOM-killed.
        assertThrows(IllegalArgumentException.class, () -> StreamMemory.of("1445M").requireAvailable("1445M", 8 * GIB,
                () -> OptionalLong.of(1500L << 20)));
    }

    @Test void onlyWhatTheRunWouldHoldCounts() {
        StreamMemory m = StreamMemory.of("4G");
        m.requireAvailable("4G", 512L << 20, () -> OptionalLong.of(GIB));          // a 512 MiB tensor needs 512 MiB of it
        assertThrows(IllegalArgumentException.class, () -> m.requireAvailable("4G", 2 * GIB, () -> OptionalLong.of(GIB)));
        StreamMemory.of("256M").requireAvailable("256M", 8 * GIB, () -> OptionalLong.of(1));   // small: never checked
        m.requireAvailable("4G", 8 * GIB, OptionalLong::empty);                       // unknown: not refused
    }

    @Test void theDefaultIsNeverChecked() {
        StreamMemory.defaults().requireAvailable(null, 8 * GIB, () -> { throw new AssertionError("asked"); });
    }

    /** Through the command: exit 2, one line, before a byte is filled or a file made. */
    @Test void theCommandRefusesBeforeFilling() throws Exception {
        OptionalLong available = dev.tensorinit.MachineMemory.available();
        assumeTrue(available.isPresent(), "this system does not tell its available memory");
        long ask = (available.getAsLong() + GIB) / GIB;   // GiB, above what is available
        assumeTrue(ask <= 64, "more than 63 GiB available: --buffer-memory cannot ask for more");
        Path out = dir.resolve("w.npy");
        Cli.Result r = Cli.run("fill", "--shape", "16x" + (ask * GIB / 64), "--init", "normal", "--buffer-memory", ask + "G",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--buffer-memory " + ask + "G would hold " + Units.bytes(ask * GIB) + " of this run's data"), r.err());
        assertTrue(Files.notExists(out));
    }
}
