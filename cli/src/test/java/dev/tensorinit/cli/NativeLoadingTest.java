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

    /** The check above can fail: probing every backend (auto) maps the OpenCL loader where it is installed. */
    @Test
    void autoProbesOpenClAndSoMapsItsLoader() throws Exception {
        var opencl = dev.tensorinit.Dispatcher.standard().report().stream().filter(st -> st.name().equals("opencl")).findFirst().orElseThrow();
        String required = System.getenv("TENSORINIT_REQUIRE_BACKENDS");
        if (required == null || !required.contains("opencl")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(opencl.probe().isAvailable(), opencl.summary());
        }
        assertTrue(opencl.probe().isAvailable(), opencl.summary());
        String out = forked(MapsMain.class.getName(), "auto");
        assertTrue(out.contains("libOpenCL"), out);
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
            try (var backend = dev.tensorinit.Dispatcher.standard().open(args[0]);
                 var arena = java.lang.foreign.Arena.ofShared()) {
                var r = dev.tensorinit.FillRequest.of(dev.tensorinit.Shape.of(1 << 20), dev.tensorinit.InitSpec.normal(0, 1));
                backend.allocateAndFill(arena, r);
                System.out.println("filled on " + backend.name());
            }
            System.out.println(java.nio.file.Files.readString(Path.of("/proc/self/maps")));
        }
    }
}
