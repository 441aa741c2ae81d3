package dev.tensorinit.cuda.check;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The benchmark's table without a GPU: peer lines merged as ratios to this run's memsets, and the peer script failing soft. */
class CudaBenchmarkFormatTest {

    @Test
    void peerRowsBecomeRatiosToTheMemsetOfTheirElementSize(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("peers.tsv");
        Files.writeString(tsv, String.join("\n",
                "INFO\ttorch\ttorch 2.11, CUDA 13.0, NVIDIA H200",
                "ROW\ttorch\tuniform_\tf32\t1073741824\t2.0000",
                "ROW\ttorch\tnormal_\tbf16\t1073741824\t4.0000",
                "SKIP\tjax\tJAX not installed (ModuleNotFoundError: No module named 'jax')",
                "ROW\tbroken\tline\tf99\t1\t1",
                "") + "\n");
        List<CudaBenchmark.Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        CudaBenchmark.readPeers(tsv, rows, 1.0, 0.5, notes);
        assertEquals(2, rows.size());
        assertEquals(0.5, rows.get(0).ratio(), 1e-12, "f32 against cuMemsetD32");
        assertEquals(DType.BF16, rows.get(1).dtype());
        assertEquals(0.125, rows.get(1).ratio(), 1e-12, "bf16 against cuMemsetD16");
        assertEquals(1073741824 / 2.0 / 1e6, rows.get(0).gfloats(), 1e-9);
        assertEquals(3, notes.size(), notes.toString());
        assertTrue(notes.get(1).startsWith("jax: skipped"), notes.toString());
        String md = CudaBenchmark.markdown(List.of("cuda: H200"), rows, notes);
        assertTrue(md.contains("| torch | uniform_ | f32 | 2^30 | 2.000 | 536.9 | 0.50 |"), md);
        assertTrue(CudaBenchmark.tsv(rows).lines().count() == 3);
    }

    /** Without torch, CuPy or JAX (this machine), the script prints one SKIP line each and exits 0. */
    @Test
    void peerScriptFailsSoft(@TempDir Path dir) throws Exception {
        Path script = Path.of("gpu-check", "peers_bench.py");
        assumeTrue(Files.isRegularFile(script), "peers_bench.py is not in the working folder (runs from the module folder)");
        boolean python;
        try {
            python = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            python = false;
        }
        assumeTrue(python, "no python3");
        Process p = new ProcessBuilder("python3", script.toString(), "10", "torch,cupy,jax,nosuch").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        for (String line : out.strip().split("\n")) {
            String kind = line.split("\t")[0];
            assertTrue(List.of("ROW", "SKIP", "INFO").contains(kind) && line.split("\t").length >= 3, "not a machine-readable line: " + line);
        }
        assertTrue(out.contains("SKIP\tnosuch\tunknown framework"), out);
        for (String fw : new String[] {"torch", "cupy", "jax"}) {
            assertTrue(out.contains("\t" + fw + "\t"), fw + " printed nothing:\n" + out);
        }
    }
}
