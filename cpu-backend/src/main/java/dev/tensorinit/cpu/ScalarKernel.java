package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.F32Math;
import dev.tensorinit.kernel.F64Math;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Philox;
import dev.tensorinit.kernel.Reference;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The contract in plain Java, a pass of whole Philox blocks at a time: words into a small int array, values
 * into a small float (or double) array with one loop per kind, then one bulk copy into the destination. The
 * reference does the same arithmetic element by element, deciding kind, dtype and block at each one; this
 * kernel runs 1.45x (normals) to 2x (uniforms) faster in a fresh JVM (ScalarKernelWarmupMain) and, its loops
 * being small, C2 has it compiled about 0.2 s into a fresh JVM's first fill. It fills while
 * the vector kernel compiles, fills runs too small to warm that up for, and is the whole kernel when the
 * Vector API module is absent. Partial blocks at the ends of a run go through the reference itself.
 */
final class ScalarKernel implements RunKernel {
    /** Blocks per pass: 4 KiB of words and 4 KiB of f32 values, which stay in L1 between the loops. */
    static final int PASS_BLOCKS = 256;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    @Override public String description() { return "scalar"; }

    @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long dstOffset) {
        if (count <= 0) return;
        if (a.kind() == KernelArgs.Kind.CONSTANT) {
            Reference.fillRun(a, first, count, dst, dstOffset);
            return;
        }
        DType dt = a.dtype();
        int per = Reference.elementsPerBlock(dt);
        int size = dt.bytes();
        long head = Math.min(count, Math.floorMod(-first, (long) per)); // up to the first block boundary
        if (head > 0) Reference.fillRun(a, first, head, dst, dstOffset);
        long done = head;
        long end = head + (count - head) / per * per;
        if (done < end) {
            // Scratch sized to the run: a tile of short rows calls this once per row.
            Pass pass = new Pass(a, (int) Math.min(PASS_BLOCKS, (end - done) / per));
            while (done < end) {
                int blocks = (int) Math.min(PASS_BLOCKS, (end - done) / per);
                int n = pass.run((first + done) / per, blocks);
                pass.store(dst, dstOffset + done * size, n);
                done += n;
            }
        }
        if (done < count) Reference.fillRun(a, first + done, count - done, dst, dstOffset + done * size);
    }

    /** One run's scratch arrays and parameters. */
    private static final class Pass {
        private final KernelArgs a;
        private final int k0, k1, c2, c3;
        private final int[] words;
        private final float[] f;
        private final double[] d;
        private final short[] h;
        private final float[] fp;
        private final double[] dp;

        Pass(KernelArgs a, int blocks) {
            this.a = a;
            words = new int[4 * blocks];
            k0 = (int) a.seed();
            k1 = (int) (a.seed() >>> 32);
            c2 = (int) a.stream();
            c3 = (int) (a.stream() >>> 32);
            boolean wide = a.dtype() == DType.F64;
            f = wide ? null : new float[4 * blocks];
            h = a.dtype() == DType.BF16 || a.dtype() == DType.F16 ? new short[4 * blocks] : null;
            d = wide ? new double[2 * blocks] : null;
            fp = wide ? null : a.f32Params();
            dp = wide ? a.f64Params() : null;
        }

        /** Values of blocks [block, block + blocks) into f or d (blocks at most the scratch's); returns the element count. */
        int run(long block, int blocks) {
            for (int b = 0; b < blocks; b++) {
                long i = block + b;
                Philox.block((int) i, (int) (i >>> 32), c2, c3, k0, k1, words, 4 * b);
            }
            if (d != null) {
                int n = 2 * blocks;
                switch (a.kind()) {
                    case UNIFORM -> uniform64(words, n, dp, d);
                    case NORMAL -> normal64(words, n, dp, d);
                    case TRUNC_NORMAL -> truncNormal64(words, n, dp, d);
                    default -> throw new AssertionError(a.kind());
                }
                return n;
            }
            int n = 4 * blocks;
            switch (a.kind()) {
                case UNIFORM -> uniform32(words, n, fp, f);
                case NORMAL -> normal32(words, n, fp, f);
                case TRUNC_NORMAL -> truncNormal32(words, n, fp, f);
                default -> throw new AssertionError(a.kind());
            }
            return n;
        }

        void store(MemorySegment dst, long at, int n) {
            switch (a.dtype()) {
                case F32 -> MemorySegment.copy(f, 0, dst, F32, at, n);
                case F64 -> MemorySegment.copy(d, 0, dst, F64, at, n);
                case BF16 -> {
                    for (int i = 0; i < n; i++) h[i] = F32Math.toBf16(f[i]);
                    MemorySegment.copy(h, 0, dst, I16, at, n);
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) h[i] = Float.floatToFloat16(f[i]);
                    MemorySegment.copy(h, 0, dst, I16, at, n);
                }
            }
        }
    }

    // The loops below repeat Reference.f32 / Reference.f64 for one kind each, operation for operation.

    private static float clamp(float y, float lo, float hi) {
        y = y < lo ? lo : y;
        return y > hi ? hi : y;
    }

    private static double clamp(double y, double lo, double hi) {
        y = y < lo ? lo : y;
        return y > hi ? hi : y;
    }

    static void uniform32(int[] w, int n, float[] prm, float[] out) {
        float scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) out[i] = clamp(Math.fma(F32Math.uniform(w[i]), scale, shift), lo, hi);
    }

    static void normal32(int[] w, int n, float[] prm, float[] out) {
        float scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) out[i] = clamp(Math.fma(F32Math.ndtri(F32Math.uniform(w[i])), scale, shift), lo, hi);
    }

    static void truncNormal32(int[] w, int n, float[] prm, float[] out) {
        float scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3], plo = prm[4], pspan = prm[5], sign = prm[6];
        for (int i = 0; i < n; i++) {
            float p = clamp(Math.fma(F32Math.uniform(w[i]), pspan, plo), F32Math.P_MIN, F32Math.P_MAX);
            out[i] = clamp(Math.fma(F32Math.ndtri(p) * sign, scale, shift), lo, hi);
        }
    }

    static void uniform64(int[] w, int n, double[] prm, double[] out) {
        double scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) out[i] = clamp(Math.fma(F64Math.uniform(w[2 * i], w[2 * i + 1]), scale, shift), lo, hi);
    }

    static void normal64(int[] w, int n, double[] prm, double[] out) {
        double scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) {
            out[i] = clamp(Math.fma(F64Math.ndtri(F64Math.uniform(w[2 * i], w[2 * i + 1])), scale, shift), lo, hi);
        }
    }

    static void truncNormal64(int[] w, int n, double[] prm, double[] out) {
        double scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3], plo = prm[4], pspan = prm[5], sign = prm[6];
        for (int i = 0; i < n; i++) {
            double p = clamp(Math.fma(F64Math.uniform(w[2 * i], w[2 * i + 1]), pspan, plo), F64Math.P_MIN, F64Math.P_MAX);
            out[i] = clamp(Math.fma(F64Math.ndtri(p) * sign, scale, shift), lo, hi);
        }
    }
}
