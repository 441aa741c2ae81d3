package dev.tensorinit.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA kernels' index logic, checked without a GPU: tensorinit.cu compiled as host C++ by g++
 * (emulate_cuda.h maps the CUDA dialect; every block × thread of a launch runs in turn) must write, for
 * runs and tiles at 64-bit offsets, misaligned destinations and five launch shapes, exactly the shared
 * header's per-element values (proven equal to the Java reference by core's SharedHeaderGccTest), and
 * nothing outside the destination. UBSan's alignment check makes a vector store on a misaligned
 * address fail as it would on the GPU. The math itself runs on the host here, so this test does not
 * replace the GPU suite; it covers what the GPU suite would otherwise be the only check of.
 */
class KernelEmulationTest {

    @Test
    void kernelsWriteTheHeadersValuesForEveryRunTileAndLaunchShape(@TempDir Path dir) throws Exception {
        Path cu = Path.of("src", "main", "cuda", "tensorinit.cu");
        assumeTrue(Files.isRegularFile(cu), "kernel source not here (not run from the cuda-backend module)");
        assumeTrue(Tools.find("g++") != null, "g++ is not installed");
        Files.copy(cu, dir.resolve("tensorinit.cu"));
        copy("/dev/tensorinit/kernel/tensorinit_math.h", dir.resolve("tensorinit_math.h"));
        copy("/dev/tensorinit/cuda/emulate_cuda.h", dir.resolve("emulate_cuda.h"));
        copy("/dev/tensorinit/cuda/kernel_emulation.cpp", dir.resolve("kernel_emulation.cpp"));
        Path exe = dir.resolve("emulation");
        // -ffp-contract=off and -mfma: the same rounding as --fmad=false with hardware fma on the GPU.
        List<String> cmd = new ArrayList<>(List.of("g++", "-std=c++17", "-O2", "-ffp-contract=off", "-mfma",
                "-fsanitize=alignment", "-fno-sanitize-recover=alignment", "-o", exe.toString(), dir.resolve("kernel_emulation.cpp").toString()));
        String out = run(cmd, dir);
        assertTrue(Files.isExecutable(exe), "g++ failed:\n" + out);
        String result = run(List.of(exe.toString()), dir).strip();
        assertTrue(result.startsWith("ok "), result);
        assertTrue(Long.parseLong(result.substring(3)) > 20_000, "too few cases ran: " + result);
    }

    private static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = KernelEmulationTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            Files.copy(in, to);
        }
    }
}
