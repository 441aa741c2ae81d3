package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick bench, shrunk to 2^16 elements so it takes well under a second. */
class BenchCommandTest {

    @Test void reportsEachInitNextToTheLimit() {
        Cli.Result r = Cli.run("bench", "--backend", "cpu", "--threads", "2", "--log2-elements", "16", "--seconds", "0.05");
        assertEquals(0, r.code(), r.err());
        assertTrue(Pattern.compile("(?m)^limit: MemorySegment.fill, host, 2 thread\\(s\\): [0-9.]+ GB/s").matcher(r.out()).find(), r.out());
        for (String init : new String[] {"uniform", "normal"}) {
            var m = Pattern.compile("(?m)^cpu +" + init + " +([0-9.]+) +([0-9.]+) +([0-9.]+)%").matcher(r.out());
            assertTrue(m.find(), init + " row in:\n" + r.out());
            double gf = Double.parseDouble(m.group(1)), gb = Double.parseDouble(m.group(2));
            assertTrue(gf > 0, r.out());
            assertEquals(4 * gf, gb, 0.011, "f32: GB/s = 4 x Gfloat/s");
        }
        assertTrue(r.out().contains("took "), r.out());
    }

    /** The thread count from the settings, as the CPU backend uses it: the header and the limit said every processor. */
    @Test void theThreadSettingSetsTheHeaderAndTheLimit() {
        String key = "tensorinit.cpu.threads", before = System.getProperty(key);
        System.setProperty(key, "1");
        try {
            Cli.Result r = Cli.run("bench", "--backend", "cpu", "--log2-elements", "16", "--seconds", "0.05");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("per fill, 1 thread(s)"), r.out());
            assertTrue(r.out().contains("limit: MemorySegment.fill, host, 1 thread(s)"), r.out());
            assertTrue(r.out().contains(">= 1.25 (1.25 per thread)"), r.out());
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
        }
    }

    /** A backend named by the setting is the one measured, as fill would use it; before, every backend ran. */
    @Test void theBackendSettingNamesTheOneMeasured() {
        String key = "tensorinit.backend", before = System.getProperty(key);
        System.setProperty(key, "cpu");
        try {
            Cli.Result r = Cli.run("bench", "--log2-elements", "16", "--seconds", "0.05");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().lines().noneMatch(l -> l.startsWith("opencl")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cpu      uniform")), r.out());
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
        }
    }

    @Test void badSizeIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--log2-elements", "5");
        BadFlagsTest.assertOneLineError(r, 2, "--log2-elements must be between 10 and 34");
        BadFlagsTest.assertOneLineError(Cli.run("bench", "--backend", "tpu"), 2, "unknown backend 'tpu'");
    }

    /**
     * A buffer the memory available cannot hold beside the JVM is refused up front: the bench touches all of it, and in
     * a container too small the OOM killer ended the run with no message (QA). The same margin as fill's buffers.
     */
    @Test void aBufferLargerThanTheMemoryAvailableIsRefused() {
        var gib = (java.util.function.Supplier<java.util.OptionalLong>) () -> java.util.OptionalLong.of(1L << 30);
        assertDoesNotThrow(() -> BenchCommand.requireMemory(26, gib));   // 256 MiB + the JVM's 256 MiB fit in 1 GiB
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchCommand.requireMemory(28, gib));
        assertEquals("--log2-elements 28 needs a host buffer of 1.00 GiB, but only 1.00 GiB is available now (within a "
                + "container's limit where there is one), and the JVM needs 256 MiB of it; ask for fewer elements", e.getMessage());
        assertDoesNotThrow(() -> BenchCommand.requireMemory(34, java.util.OptionalLong::empty));   // unknown: not refused
        // The default and smaller are not checked (as fill's default buffers): 2^26 with 300 MiB available still runs.
        assertDoesNotThrow(() -> BenchCommand.requireMemory(26, () -> java.util.OptionalLong.of(300L << 20)));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.requireMemory(27, () -> java.util.OptionalLong.of(300L << 20)));

        // The whole command: 2^34 f32 is 64 GiB; on a machine with less available it is a usage error, before any fill.
        var a = dev.tensorinit.MachineMemory.available();
        org.junit.jupiter.api.Assumptions.assumeTrue(a.isPresent() && a.getAsLong() < (64L << 30) + StreamMemory.JVM_MARGIN,
                "this machine could hold the buffer");
        Cli.Result r = Cli.run("bench", "--backend", "cpu", "--log2-elements", "34");
        BadFlagsTest.assertOneLineError(r, 2, "--log2-elements 34 needs a host buffer of 64.0 GiB, but only ");
        assertTrue(r.out().isEmpty(), r.out());
    }
}
