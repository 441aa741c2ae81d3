package dev.tensorinit.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed kernel artifacts: present, complete, loadable in form; the build's nvcc check really ran. */
class KernelArtifactTest {

    private static String ptx() {
        return new String(CudaKernelImage.resource(CudaKernelImage.PTX), StandardCharsets.US_ASCII);
    }

    @Test
    void ptxIsCompute75WithEveryEntryPointAndNoApproximateMath() {
        String ptx = ptx();
        assertEquals("9.0", CudaKernelImage.ptxVersion(ptx), "nvcc 13 writes ISA 9.0; a change needs the README's driver note updated");
        assertTrue(ptx.contains("\n.target sm_75\n"), "compute_75 PTX");
        for (String e : CudaKernelImage.ENTRY_POINTS) assertTrue(ptx.contains(".visible .entry " + e + "("), "entry point " + e);
        // Approximate divide/sqrt/transcendentals would break bit identity with the reference.
        assertFalse(ptx.contains(".approx"), "approximate instruction in the PTX");
        assertFalse(ptx.contains(".ftz"), "flush-to-zero instruction in the PTX");
        assertTrue(ptx.endsWith("\n") && ptx.indexOf('\0') < 0, "plain text; the loader adds the NUL");
    }

    @Test
    void loaderImagesAreNulTerminatedAndTheFallbackIsLowered() {
        List<CudaKernelImage> images = CudaKernelImage.candidates();
        assertEquals(3, images.size());
        byte[] fatbin = images.get(0).bytes();
        // fatbin container magic 0xBA55ED50, little-endian
        assertArrayEquals(new byte[] {0x50, (byte) 0xED, 0x55, (byte) 0xBA}, Arrays.copyOf(fatbin, 4));
        String fat = new String(fatbin, StandardCharsets.ISO_8859_1);
        for (String e : CudaKernelImage.ENTRY_POINTS) assertTrue(fat.contains(e), "fatbin holds " + e);
        for (CudaKernelImage ptxImage : images.subList(1, 3)) {
            byte[] b = ptxImage.bytes();
            assertEquals(0, b[b.length - 1], "PTX for cuModuleLoadData ends with NUL");
            assertEquals(b.length - 1, new String(b, StandardCharsets.ISO_8859_1).indexOf('\0'), "exactly one NUL, at the end");
        }
        String lowered = new String(images.get(2).bytes(), 0, images.get(2).bytes().length - 1, StandardCharsets.US_ASCII);
        assertEquals(CudaKernelImage.COMPAT_PTX_VERSION, CudaKernelImage.ptxVersion(lowered));
        assertEquals(ptx().replace(".version 9.0\n", ".version " + CudaKernelImage.COMPAT_PTX_VERSION + "\n"), lowered,
                "only the .version line changes");
    }

    /** The fallback only helps if the lowered PTX is valid at that ISA: ptxas (with nvcc) decides. */
    @Test
    void loweredPtxAssemblesWithPtxas(@TempDir Path dir) throws Exception {
        Path ptxas = Tools.find("ptxas");
        assumeTrue(ptxas != null, "ptxas is not installed (no CUDA toolkit): lowered PTX not assembled here");
        Path src = dir.resolve("compat.ptx");
        Files.writeString(src, CudaKernelImage.lowered(ptx()), StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(ptxas.toString(), "-arch=sm_75", "-o", dir.resolve("compat.cubin").toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ptxas rejected the ISA " + CudaKernelImage.COMPAT_PTX_VERSION + " PTX:\n" + out);
        assertTrue(Files.size(dir.resolve("compat.cubin")) > 1000);
    }

    /** With nvcc on the PATH the Maven build rebuilt the artifacts into target/kernels and they matched. */
    @Test
    void nvccRebuildMatchesTheCommittedArtifacts() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("src", "main", "cuda", "tensorinit.cu")), "not run from the cuda-backend module (e.g. the packaged GPU check)");
        assumeTrue(Tools.onPath("nvcc") != null, "nvcc is not on the PATH: the build skipped the rebuild check");
        assumeTrue(!Boolean.getBoolean("tensorinit.cuda.skipKernelCheck"), "rebuild check skipped by property");
        Path built = Path.of("target", "kernels");
        assertTrue(Files.isDirectory(built), "the build's kernels.sh check did not run (no " + built.toAbsolutePath() + ")");
        for (String name : List.of("tensorinit.fatbin", "tensorinit.ptx")) {
            byte[] rebuilt = Files.readAllBytes(built.resolve(name));
            assertArrayEquals(CudaKernelImage.resource(CudaKernelImage.RESOURCE_DIR + name), rebuilt,
                    name + " rebuilt by nvcc differs from the committed artifact: run cuda-backend/kernels.sh update");
        }
    }
}
