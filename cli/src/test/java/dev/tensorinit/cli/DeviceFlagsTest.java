package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device and thread flags become typed backend options: they reach the probes and backends and change no JVM state. */
class DeviceFlagsTest {
    @TempDir Path dir;

    @Test
    void anOpenClDeviceThatDoesNotExistIsNamedAndNothingIsWritten() {
        Path out = dir.resolve("w.npy");
        Cli.Result r = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "opencl", "--opencl-device", "9:9",
                "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("'9:9'"), r.err());
        assertFalse(Files.exists(out));
        assertNull(System.getProperty("tensorinit.opencl.device"), "the flag must not become a JVM-wide property");
    }

    /**
     * A device flag for a backend the run does not use is said on stderr, with why auto passed that backend over, and the
     * run goes on: a mistyped --opencl-device had sent the fill to the CPU without a word.
     */
    @Test
    void aDeviceFlagForABackendThisRunDoesNotUseIsNoted() throws Exception {
        Path out = dir.resolve("w.npy");
        Cli.Result auto = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--opencl-device", "9:9", "--out", out.toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.err().contains("tensorinit: note: --opencl-device 9:9 is for the opencl backend, which auto passed over (")
                && auto.err().contains("; this run uses ") && auto.err().contains("--backend opencl would use opencl or say why not"),
                auto.err());
        assertEquals(1, auto.err().lines().filter(l -> l.contains("--opencl-device")).count(), auto.err());
        assertTrue(Files.size(out) > 0);
        Cli.Result asked = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--cuda-device", "2",
                "--cuda-engine", "philox", "--out", out.toString(), "--force");
        assertEquals(0, asked.code(), asked.err());
        assertTrue(asked.err().contains("tensorinit: note: --cuda-device 2 and --cuda-engine philox are for the cuda backend; "
                + "this run uses cpu, as asked"), asked.err());
        Cli.Result none = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--out", out.toString(), "--force");
        assertFalse(none.err().contains("note"), none.err());
    }

    /** --threads sizes the cpu backend's pool: with another backend it is noted as the device flags are (it was silent). */
    @Test
    void threadsForARunOnAnotherBackendIsNoted() {
        Path out = dir.resolve("w.npy");
        Cli.Result r = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "opencl", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("tensorinit: note: --threads 1 is for the cpu backend; this run uses opencl, as asked"), r.err());
        Cli.Result cpu = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--threads", "1", "--out",
                out.toString(), "--force");
        assertEquals(0, cpu.code(), cpu.err());
        assertFalse(cpu.err().contains("note"), cpu.err());
    }

    @Test
    void backendsReportsWhatTheFlagsChoose() {
        Cli.Result r = Cli.run("backends", "--opencl-device", "9:9", "--cuda-engine", "curand", "--cuda-device", "3");
        assertEquals(0, r.code(), r.err());
        String opencl = r.out().lines().filter(l -> l.startsWith("opencl")).findFirst().orElseThrow();
        assertTrue(opencl.contains("unavailable") && opencl.contains("'9:9'"), opencl);
        assertNull(System.getProperty("tensorinit.opencl.device"));
    }

    @Test
    void badFlagsAreUsageErrorsNamingTheValue() {
        Path out = dir.resolve("w.npy");
        Cli.Result threads = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--threads", "100000", "--out", out.toString());
        assertEquals(2, threads.code(), threads.err());
        assertTrue(threads.err().contains("100000"), threads.err());
        Cli.Result engine = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--cuda-engine", "mtgp", "--out", out.toString());
        assertEquals(2, engine.code(), engine.err());
        assertTrue(engine.err().contains("'mtgp'"), engine.err());
        Cli.Result device = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--cuda-device", "-1", "--out", out.toString());
        assertEquals(2, device.code(), device.err());
        assertTrue(device.err().contains("-1"), device.err());
        assertFalse(Files.exists(out));
    }

    /**
     * A malformed setting disables only the backend it configures, and a flag that overrides it makes it irrelevant:
     * TENSORINIT_CUDA_DEVICE=-5 had stopped a CPU fill, TENSORINIT_CPU_THREADS=0 a fill with --threads 1.
     */
    @Test
    void aMalformedSettingDisablesOnlyItsBackendAndAFlagOverridesIt() {
        Path out = dir.resolve("w.npy");
        String[][] cases = {{"tensorinit.cuda.device", "-5"}, {"tensorinit.cuda.engine", "bogus"}, {"tensorinit.cpu.threads", "5000"}};
        for (String[] kv : cases) {
            System.setProperty(kv[0], kv[1]);
            try {
                boolean cpuSetting = kv[0].startsWith("tensorinit.cpu");
                Cli.Result r = cpuSetting
                        ? Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--threads", "2", "--out", out.toString(), "--force")
                        : Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--out", out.toString(), "--force");
                assertEquals(0, r.code(), kv[0] + "=" + kv[1] + ": " + r.err());
                Cli.Result b = Cli.run("backends");
                assertEquals(0, b.code(), b.err());
                String line = b.out().lines().filter(l -> l.startsWith(cpuSetting ? "cpu" : "cuda")).findFirst().orElseThrow();
                assertTrue(line.contains("unavailable") && line.contains(kv[0]) && line.contains(kv[1]), line);
            } finally {
                System.clearProperty(kv[0]);
            }
        }
        // A malformed setting of a backend the command may use is a usage error: auto quietly took the next backend (a typo
        // in TENSORINIT_CPU_THREADS sent the fill to OpenCL with one note), a named one failed as "unavailable" (exit 1).
        System.setProperty("tensorinit.cpu.threads", "abc");
        try {
            for (String backend : new String[] {"auto", "cpu"}) {
                Cli.Result r = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", backend, "--out", out.toString(), "--force");
                assertEquals(2, r.code(), backend + ": " + r.err());
                assertTrue(r.err().contains("tensorinit.cpu.threads (or TENSORINIT_CPU_THREADS) 'abc'")
                        && r.err().contains("(a setting of the cpu backend)"), backend + ": " + r.err());
            }
            Cli.Result bench = Cli.run("bench", "--backend", "auto", "--log2-elements", "10");
            assertEquals(2, bench.code(), bench.err());
        } finally {
            System.clearProperty("tensorinit.cpu.threads");
        }
        System.setProperty("tensorinit.backend", "bogus");   // the user typed auto: the message says where 'bogus' came from
        try {
            Cli.Result r = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "auto", "--out", out.toString(), "--force");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("tensorinit.backend (or TENSORINIT_BACKEND) 'bogus'"), r.err());
        } finally {
            System.clearProperty("tensorinit.backend");
        }
        System.setProperty("tensorinit.cpu.threads", "0");   // 0 is every processor, as the option documents
        try {
            assertEquals(0, Cli.run("fill", "--shape", "8x8", "--init", "ones", "--backend", "cpu", "--out", out.toString(), "--force").code());
        } finally {
            System.clearProperty("tensorinit.cpu.threads");
        }
    }
}
