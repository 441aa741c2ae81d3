package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The device header (tensorinit_math.h, shared by the OpenCL and CUDA kernels) compiled as plain C
 * by gcc with contraction off gives the reference's bits: a check of the C math that needs no GPU
 * and no OpenCL runtime. gcc is part of the build machines; without it the test is skipped and says so.
 */
class SharedHeaderGccTest {
    @TempDir static Path dir;
    static Path exe;

    @BeforeAll
    static void compile() throws Exception {
        Path src = dir.resolve("harness.c");
        Path hdr = dir.resolve("tensorinit_math.h");
        copy("/dev/tensorinit/kernel/header_harness.c", src);
        copy("/dev/tensorinit/kernel/tensorinit_math.h", hdr);
        exe = dir.resolve("harness");
        Process p;
        try {
            // -mfma: fmaf must be the hardware instruction; -ffp-contract=off: no other fusing.
            p = new ProcessBuilder("gcc", "-O2", "-std=c11", "-ffp-contract=off", "-mfma", "-o", exe.toString(),
                    src.toString(), "-lm").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "gcc failed:\n" + out);
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = SharedHeaderGccTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            Files.copy(in, to);
        }
    }

    private static byte[] run(KernelArgs a, long first, long count) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), Integer.toString(code(a.dtype())),
                Integer.toString(a.kind().code()), Long.toUnsignedString(a.seed()), Long.toUnsignedString(a.stream()),
                Long.toString(first), Long.toString(count)));
        for (double v : a.f64Params()) cmd.add(Long.toHexString(Double.doubleToRawLongBits(v)));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes()));
        return out;
    }

    private static int code(DType d) {
        return switch (d) { case F32 -> 0; case F64 -> 1; case BF16 -> 2; case F16 -> 3; };
    }

    @Test
    void headerMatchesReferenceForEveryKindAndDtype() throws Exception {
        Shape shape = Shape.of(1024, 777);
        List<InitSpec> specs = List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal(), InitSpec.truncNormal(0, 0.02, -0.04, 0.05),
                InitSpec.truncNormal(), InitSpec.glorotNormal(), InitSpec.truncNormal(3, 1, 3.5, 6), InitSpec.uniform(-3, 7),
                InitSpec.normal(1, 2), InitSpec.constant(0.25), InitSpec.kaimingNormal(), InitSpec.logOfUniform(0.01, 16),
                InitSpec.logOfUniform(1e-30, 3e30));
        long first = (1L << 32) - 37; // crosses 2^32 in the block index's low word: tests the 64-bit counter
        int count = 1 << 16;
        for (DType dt : DType.values()) {
            for (InitSpec spec : specs) {
                FillRequest r = new FillRequest(Shape.of(1L << 40), dev.tensorinit.Layout.JAX, spec, dt, 0x9E3779B97F4A7C15L,
                        0xC0FFEEL + spec.hashCode(), Region.range(first, first + count));
                if (spec.name().startsWith("xavier") || spec.name().startsWith("kaiming") || spec.name().startsWith("glorot")) {
                    r = new FillRequest(shape, dev.tensorinit.Layout.TORCH, spec, dt, 42, 7, Region.range(3, 3 + count));
                }
                KernelArgs a = r.kernelArgs();
                long g0 = r.region() instanceof Region.Range rg ? rg.start() : 0;
                byte[] expected = new byte[(int) r.byteSize()];
                Reference.fillRun(a, g0, count, MemorySegment.ofArray(expected), 0);
                byte[] actual = run(a, g0, count);
                assertEquals(expected.length, actual.length, "output length");
                for (int i = 0; i < expected.length; i++) {
                    if (expected[i] != actual[i]) {
                        int e = i / dt.bytes();
                        throw new AssertionError(dt + " " + spec + ": C header differs from the reference at element "
                                + (g0 + e) + " (byte " + i + ")");
                    }
                }
            }
        }
    }
}
