package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which native libraries a command loads, and whether the JVM keeps its signal handlers. An OpenCL
 * driver loaded into the JVM took its handlers and crashed 16-core fills: the cpu backend must load
 * none, and the launcher runs with signal chaining.
 */
class NativeLoadingTest {
    @TempDir Path dir;

    /** In a fresh JVM with every backend on the class path: open "cpu" by name, fill, and list what got mapped. */
    @Test
    void theCpuBackendLoadsNoOtherBackendsNativeLibraries() throws Exception {
        String out = forked(MapsMain.class.getName(), "cpu");
        assertTrue(out.contains("filled"), out);
        for (String lib : List.of("libOpenCL", "libpocl", "libLLVM", "libcuda", "libJOCL", "libJCuda")) {
            assertFalse(out.contains(lib), "--backend cpu mapped " + lib + ":\n" + out);
        }
    }

    /** The check above can fail: probing every backend (what `backends` does) maps the OpenCL loader where it is installed. */
    @Test
    void probingEveryBackendMapsTheOpenClLoader() throws Exception {
        assumeOpenCl();
        String out = forked(MapsMain.class.getName(), "report");
        assertTrue(out.contains("libOpenCL"), out);
    }

    /**
     * Auto loads no driver it could not pick: where the only OpenCL is PoCL on the CPU (CI, this project's
     * machines), which ranks below the cpu backend, auto maps no OpenCL library at all; elsewhere it probes OpenCL.
     */
    @Test
    void autoLoadsOpenClOnlyWhereItCouldWin() throws Exception {
        assumeOpenCl();
        boolean cpuOnly = new dev.tensorinit.opencl.OpenClBackendProvider().rankCeiling(dev.tensorinit.spi.BackendOptions.DEFAULTS)
                < dev.tensorinit.cpu.CpuBackendProvider.PRIORITY;
        String out = forked(MapsMain.class.getName(), "auto");
        if (cpuOnly) {
            assertTrue(out.contains("filled on cpu"), out);
            for (String lib : List.of("libOpenCL", "libpocl", "libLLVM", "libJOCL")) {
                assertFalse(out.contains(lib), "auto mapped " + lib + " though PoCL on the CPU cannot win:\n" + out);
            }
        } else {
            assertTrue(out.contains("libOpenCL"), "a driver that could win is probed:\n" + out);
        }
    }

    private static void assumeOpenCl() {
        var opencl = dev.tensorinit.Dispatcher.standard().report().stream().filter(st -> st.name().equals("opencl")).findFirst().orElseThrow();
        String required = System.getenv("TENSORINIT_REQUIRE_BACKENDS");
        if (required == null || !required.contains("opencl")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(opencl.probe().isAvailable(), opencl.summary());
        }
        assertTrue(opencl.probe().isAvailable(), opencl.summary());
    }

    @Test
    void theLauncherRunsWithSignalChainingAndTheHandlersStayTheJvms() throws Exception {
        LauncherProcessTest.Run r = LauncherProcessTest.run(dir, "backends");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("signals: JVM signal handlers intact; signal chaining (libjsig) active"), r.out());
    }

    private static String forked(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("TENSORINIT_BACKEND");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the forked JVM finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Opens a backend through the real dispatcher, fills, prints /proc/self/maps. */
    public static final class MapsMain {
        public static void main(String[] args) throws Exception {
            String name = args[0];
            if (name.equals("report")) {   // probe every backend, then fill on the cpu backend
                dev.tensorinit.Dispatcher.standard().report();
                name = "cpu";
            }
            try (var backend = dev.tensorinit.Dispatcher.standard().open(name);
                 var arena = java.lang.foreign.Arena.ofShared()) {
                var r = dev.tensorinit.FillRequest.of(dev.tensorinit.Shape.of(1 << 20), dev.tensorinit.InitSpec.normal(0, 1));
                backend.allocateAndFill(arena, r);
                System.out.println("filled on " + backend.name());
            }
            System.out.println(java.nio.file.Files.readString(Path.of("/proc/self/maps")));
        }
    }
}
