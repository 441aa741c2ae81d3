package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tensorinit.cpu.VectorKernelTest.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The pass-at-a-time scalar kernel against the reference, byte for byte, on the vector kernel's cases. */
class ScalarKernelTest {
    private final ScalarKernel k = new ScalarKernel();

    @Test void matchesReferenceForEveryKindAndDtype() {
        VectorKernelTest.checkAll(k::fillRun, 1L << 16);
    }

    /** Ends inside a block and inside a pass, passes that cross 2^32 blocks, the head and tail around whole blocks. */
    @Test void runsEndingInsideABlockOrPass() {
        int pass = ScalarKernel.PASS_BLOCKS;
        for (Distribution d : VectorKernelTest.distributions()) {
            for (DType dt : DType.values()) {
                KernelArgs a = KernelArgs.of(d, dt, 7, 11);
                int per = dt == DType.F64 ? 2 : 4;
                long[] counts = {1, per - 1, per, per + 1, (long) pass * per - 1, (long) pass * per, (long) pass * per + 1,
                        2L * pass * per + 3};
                for (long first : new long[] {0, 1, 2, 3, (1L << 32) * per - 5L * per - 1}) {
                    for (long count : counts) assertSame(k::fillRun, a, first, count, 3);
                }
            }
        }
    }

    /**
     * A tile of short rows calls the kernel once per row: its scratch must scale with the run, not with a pass
     * (a pass-sized scratch is over 10 KiB, 1.3 KiB per element of an 8-element row).
     */
    @Test void shortRunsAllocateInProportionToTheirLength() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        KernelArgs a = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 1, 2);
        int rows = 20_000, row = 8;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment seg = arena.allocate((long) rows * row * 4, 64);
            for (int i = 0; i < rows; i++) k.fillRun(a, (long) i * 64, row, seg, (long) i * row * 4); // warm-up
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < rows; i++) k.fillRun(a, (long) i * 64, row, seg, (long) i * row * 4);
            double perElement = (double) (mx.getThreadAllocatedBytes(tid) - before) / ((long) rows * row);
            org.junit.jupiter.api.Assertions.assertTrue(perElement < 64, perElement + " bytes allocated per element");
        }
    }

    /**
     * The f32 normals clamp in a pass of their own, and only where a bound is finite (truncated normals): see
     * {@link VectorKernelTest#checkClamping}, whose cases the others here pass with the clamp skipped.
     */
    @Test void truncatedNormalsClampAsTheReferenceDoes() {
        VectorKernelTest.checkClamping(k::fillRun);
    }

    /**
     * Every f32 normal there is: the value depends only on the word's top 23 bits (the uniform lattice), so 2^23 words
     * cover every input of the passes, the lattice's ends (the deepest tails, w up to 15.2) and both sides of Giles' w = 5
     * switch included, bit for bit against the reference; the truncated normals likewise, far in the lower tail (where
     * 9 lattice points are clamped) and leaning right (sign -1, 1944 clamped).
     */
    @Test void everyLatticePointMatchesTheReference() {
        int n = 1 << 23, chunk = 4 * ScalarKernel.PASS_BLOCKS;
        int[] w = new int[chunk];
        float[] out = new float[chunk], xs = new float[chunk], ms = new float[chunk];
        for (Distribution d : List.of(new Distribution.Normal(0.5, 2.0), new Distribution.TruncatedNormal(0.0, 1.0, -4.2, -3.5),
                new Distribution.TruncatedNormal(0.0, 1.0, 1.0, 1.001))) {
            KernelArgs a = KernelArgs.of(d, DType.F32, 1, 2);
            float[] prm = a.f32Params();
            for (int base = 0; base < n; base += chunk) {
                for (int j = 0; j < chunk; j++) w[j] = (base + j) << 9 | (j & 0x1FF);   // low bits are ignored
                int[] words = w.clone();
                if (a.kind() == KernelArgs.Kind.NORMAL) ScalarKernel.normal32(w, chunk, prm, out, xs, ms);
                else ScalarKernel.truncNormal32(w, chunk, prm, out, xs, ms);
                for (int j = 0; j < chunk; j++) {
                    float r = Reference.f32(a.kind(), prm, words[j]);
                    if (Float.floatToRawIntBits(out[j]) != Float.floatToRawIntBits(r)) {
                        fail(d + ": lattice point " + (base + j) + " gives " + out[j] + ", the reference " + r);
                    }
                }
            }
        }
    }

    /**
     * f64 normals from chosen word pairs: p from the lattice's ends (2^-53 and 1 - 2^-53, w about 36: Giles' third
     * branch) through both switches (w = 6.25 and 16) to the centre, plus random pairs, bit for bit against the
     * reference; plain, truncated far in the lower tail and leaning right (sign -1).
     */
    @Test void f64NormalsMatchTheReferenceInEveryGilesBranch() {
        int n = 2 * ScalarKernel.PASS_BLOCKS;
        int[] w = new int[2 * n];
        double[] out = new double[n], xs = new double[n], ms = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        for (Distribution d : List.of(new Distribution.Normal(0.5, 2.0), new Distribution.TruncatedNormal(0.0, 1.0, -7.5, -5.0),
                new Distribution.TruncatedNormal(0.0, 1.0, 1.0, 1.001))) {
            KernelArgs a = KernelArgs.of(d, DType.F64, 1, 2);
            double[] prm = a.f64Params();
            for (int round = 0; round < 200; round++) {
                for (int j = 0; j < n; j++) {
                    long k;
                    if (j < 64) k = (long) j << (j % 53);                        // 2^-53 upwards, through every switch
                    else if (j < 128) k = ((1L << 52) - 1) - ((long) (j - 64) << ((j - 64) % 53));   // the same from above
                    else k = rnd.nextLong(1L << 52);
                    w[2 * j] = (int) (k >>> 26) << 6 | (j & 63);                // low 6 bits ignored
                    w[2 * j + 1] = (int) (k & ((1 << 26) - 1)) << 6 | (round & 63);
                }
                int[] words = w.clone();
                if (a.kind() == KernelArgs.Kind.NORMAL) ScalarKernel.normal64(w, n, prm, out, xs, ms);
                else ScalarKernel.truncNormal64(w, n, prm, out, xs, ms);
                for (int j = 0; j < n; j++) {
                    double r = Reference.f64(a.kind(), prm, words[2 * j], words[2 * j + 1]);
                    if (Double.doubleToRawLongBits(out[j]) != Double.doubleToRawLongBits(r)) {
                        fail(d + ": word pair " + j + " of round " + round + " gives " + out[j] + ", the reference " + r);
                    }
                }
            }
        }
    }

    @Test void matchesReferenceOnALongRun() {
        for (DType dt : DType.values()) {
            assertSame(k::fillRun, KernelArgs.of(new Distribution.Normal(0.0, 0.05), dt, 1, 2), 7, (1L << 20) + 11, 2);
            assertSame(k::fillRun, KernelArgs.of(new Distribution.TruncatedNormal(0.0, 0.5, -1.0, 1.0), dt, 42, 7), 0, 1L << 18, 0);
        }
    }
}
