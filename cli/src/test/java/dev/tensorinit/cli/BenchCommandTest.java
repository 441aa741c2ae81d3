package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
