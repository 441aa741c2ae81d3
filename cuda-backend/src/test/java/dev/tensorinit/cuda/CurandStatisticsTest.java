package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.F32Math;
import jcuda.driver.JCudaDriver;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU: the curand engine is statistically equivalent to the philox engine (not bit-identical).
 * Thresholds: |mean - μ| < 5σ/√n; |s/σ - 1| < 5·√(κ/(4n)) + 1e-3 (κ the kurtosis term, generous);
 * Kolmogorov-Smirnov p-value > 1e-4 on 100,000 values (fixed seeds, so the outcome is reproducible).
 * Skips without a GPU or cuRAND.
 */
class CurandStatisticsTest {
    static CudaBackend backend;

    @BeforeAll
    static void open() {
        if (!CudaProbe.forEngine(CudaEngine.CURAND).isAvailable()) return; // each test then skips with the reason
        backend = CudaBackend.open(0, CudaEngine.CURAND, null);
        System.out.println(backend.description());
    }

    @BeforeEach
    void gpu() { Gpu.assumeCurand(); }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
    }

    private static double[] sample(FillRequest r) {
        try (Arena arena = Arena.ofConfined(); CudaBuffer buf = backend.allocate(r.dtype(), r.count())) {
            backend.fill(r, buf);
            MemorySegment host = Gpu.download(arena, backend, buf, 0, r.count());
            double[] v = new double[(int) r.count()];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (r.dtype()) {
                    case F32 -> host.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    case F64 -> host.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                    case BF16 -> Float.intBitsToFloat(host.getAtIndex(ValueLayout.JAVA_SHORT, i) << 16);
                    case F16 -> Float.float16ToFloat(host.getAtIndex(ValueLayout.JAVA_SHORT, i));
                };
            }
            return v;
        }
    }

    private static void checkMoments(double[] v, double mu, double sigma, String what) {
        double sum = 0;
        for (double x : v) sum += x;
        double mean = sum / v.length, ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double s = Math.sqrt(ss / (v.length - 1));
        assertTrue(Math.abs(mean - mu) < 5 * sigma / Math.sqrt(v.length), what + ": mean " + mean + " vs " + mu);
        assertTrue(Math.abs(s / sigma - 1) < 5 * Math.sqrt(1.0 / v.length) + 1e-3, what + ": std " + s + " vs " + sigma);
    }

    private static void checkKs(double[] v, RealDistribution d, String what) {
        double[] head = java.util.Arrays.copyOf(v, Math.min(v.length, 100_000));
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(d, head);
        assertTrue(p > 1e-4, what + ": KS p-value " + p);
    }

    @Test
    void uniformAndNormalInEveryDtype() {
        Shape shape = Shape.of(1023, 2049); // odd count: exercises curandGenerateNormal's even-count rule
        for (DType d : DType.values()) {
            FillRequest u = new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), d, 42, 1, Region.whole());
            double bound = Math.sqrt(6.0 / (1023 + 2049));
            double[] uv = sample(u);
            for (double x : uv) assertTrue(x >= -bound * 1.01 && x <= bound * 1.01, d + " uniform value " + x + " outside ±" + bound);
            checkMoments(uv, 0, bound / Math.sqrt(3), d + " uniform");
            if (d != DType.BF16 && d != DType.F16) checkKs(uv, new UniformRealDistribution(-bound, bound), d + " uniform");

            FillRequest n = new FillRequest(shape, Layout.TORCH, InitSpec.normal(0.5, 2), d, 43, 1, Region.whole());
            double[] nv = sample(n);
            checkMoments(nv, 0.5, 2, d + " normal");
            if (d != DType.BF16 && d != DType.F16) checkKs(nv, new NormalDistribution(0.5, 2), d + " normal");
        }
    }

    /** The one-pass uniform kernel: a value depends only on its index, so a range is the slice of the whole fill. */
    @Test
    void uniformRangeIsTheSliceOfTheWholeFill() {
        Shape shape = Shape.of(1000, 1001);
        for (DType d : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            FillRequest whole = new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), d, 5, 6, Region.whole());
            FillRequest range = new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), d, 5, 6, Region.range(12_345, 600_001));
            try (Arena arena = Arena.ofConfined(); CudaBuffer a = backend.allocate(d, whole.count()); CudaBuffer b = backend.allocate(d, range.count())) {
                backend.fill(whole, a);
                backend.fill(range, b);
                MemorySegment all = Gpu.download(arena, backend, a, 0, whole.count());
                MemorySegment part = Gpu.download(arena, backend, b, 0, range.count());
                long size = d.bytes();
                assertEquals(-1, all.asSlice(12_345 * size, range.count() * size).mismatch(part), d + ": range differs from the whole fill's slice");
            }
        }
    }

    /**
     * bf16/f16 normals pass through a scratch of SCRATCH_ELEMENTS f32 values, chunk after chunk on one stream with no
     * host sync between chunks: each must equal the f32 normal fill of the same request, rounded. A chunk that reused
     * the scratch before the previous chunk's rounding had read it would show here as values of the wrong chunk.
     */
    @Test
    void halfNormalsOverSeveralScratchChunksAreTheF32FillRounded() {
        long n = 2 * CurandEngine.SCRATCH_ELEMENTS + 12_345;   // two whole chunks and an odd tail
        Shape shape = Shape.of(n);
        FillRequest f32 = new FillRequest(shape, Layout.TORCH, InitSpec.normal(0.25, 3), DType.F32, 11, 4, Region.whole());
        try (Arena arena = Arena.ofConfined(); CudaBuffer fb = backend.allocate(DType.F32, n)) {
            backend.fill(f32, fb);
            MemorySegment want = Gpu.download(arena, backend, fb, 0, n);
            for (DType d : new DType[] {DType.BF16, DType.F16}) {
                try (CudaBuffer hb = backend.allocate(d, n)) {
                    backend.fill(new FillRequest(shape, Layout.TORCH, InitSpec.normal(0.25, 3), d, 11, 4, Region.whole()), hb);
                    MemorySegment got = Gpu.download(arena, backend, hb, 0, n);
                    for (long i = 0; i < n; i++) {
                        float v = want.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        short expected = d == DType.BF16 ? F32Math.toBf16(v) : F32Math.toF16(v);
                        short actual = got.getAtIndex(ValueLayout.JAVA_SHORT, i);
                        if (expected != actual) {
                            throw new AssertionError(d + " element " + i + " (chunk " + i / CurandEngine.SCRATCH_ELEMENTS + "): "
                                    + Integer.toHexString(actual & 0xFFFF) + ", the f32 fill rounded is " + Integer.toHexString(expected & 0xFFFF));
                        }
                    }
                }
            }
        }
    }

    /** An odd normal count is completed through a scratch pair: the element after the fill stays untouched. */
    @Test
    void oddNormalCountDoesNotWritePastTheFill() {
        for (DType d : new DType[] {DType.F32, DType.F64, DType.BF16}) {
            FillRequest r = new FillRequest(Shape.of(3, 333), Layout.TORCH, InitSpec.normal(0, 1), d, 1, 1, Region.whole());
            long n = r.count(); // 999
            try (Arena arena = Arena.ofConfined(); CudaBuffer buf = backend.allocate(d, n + 7)) {
                backend.makeContextCurrent();
                JCudaDriver.cuMemsetD8(buf.pointer(), (byte) 0x7F, buf.byteSize());
                backend.fill(r, buf);
                MemorySegment host = Gpu.download(arena, backend, buf, 0, n + 7);
                for (long b = n * d.bytes(); b < (n + 7) * d.bytes(); b++) {
                    assertEquals((byte) 0x7F, host.get(ValueLayout.JAVA_BYTE, b), d + ": byte " + b + " past the fill was written");
                }
                long lastByte = (n - 1) * d.bytes();
                boolean allSentinel = true;
                for (int b = 0; b < d.bytes(); b++) allSentinel &= host.get(ValueLayout.JAVA_BYTE, lastByte + b) == 0x7F;
                assertTrue(!allSentinel, d + ": the last (odd) element was not written");
            }
        }
    }

    @Test
    void streamsDifferAndTruncatedNormalStillUsesTheBitExactKernel() {
        Shape shape = Shape.of(512, 512);
        double[] a = sample(new FillRequest(shape, Layout.TORCH, InitSpec.normal(0, 1), DType.F32, 9, 1, Region.whole()));
        double[] b = sample(new FillRequest(shape, Layout.TORCH, InitSpec.normal(0, 1), DType.F32, 9, 2, Region.whole()));
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += a[i] * b[i];
        assertTrue(Math.abs(dot / a.length) < 5 / Math.sqrt(a.length), "streams 1 and 2 correlate: " + dot / a.length);
        FillRequest t = new FillRequest(shape, Layout.TORCH, InitSpec.truncNormal(), DType.F32, 9, 1, Region.whole());
        try (Arena arena = Arena.ofConfined(); CudaBuffer buf = backend.allocate(DType.F32, t.count())) {
            backend.fill(t, buf);
            Conformance.assertBitIdentical("curand engine, trunc_normal", t, Conformance.reference(t, arena), Gpu.download(arena, backend, buf, 0, t.count()));
        }
    }
}
