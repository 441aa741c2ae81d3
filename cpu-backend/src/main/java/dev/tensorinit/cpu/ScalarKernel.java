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
 * kernel fills 111-116 M f32 normals (see normal32) and 118-197 M uniforms per second per thread against the
 * reference's 37-43 and 84-125 (ScalarKernelWarmupMain, 2-core AMD EPYC, steady state; runs of one build differ by up
 * to 1.5x, from run to run of the JVM, so compare medians of alternating runs), and since Philox runs round by round
 * over a pass's blocks (see philox) and the log's arithmetic reads its exponent as a float (see normal32) about 200 M
 * f32 normals and 300 M f32 uniforms per second with AVX-512. Its loops being small, C2 has it compiled about 0.2 s
 * into a fresh JVM's first fill. It fills while the vector kernel compiles, fills runs too small to warm that up for,
 * and is the whole kernel when the Vector API module is absent. Partial blocks at the ends of a run go through the
 * reference itself.
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
            ConstantFill.fillRun(a, first, count, dst, dstOffset);
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
        /** Philox counters, one array per word, a lane per block (see philox). */
        private final int[] s0, s1, s2, s3;
        private final float[] f;
        private final double[] d;
        private final short[] h;
        private final float[] fp;
        private final double[] dp;
        /** x = 2p - 1 of each normal, between its passes (null for uniforms). */
        private final float[] xs;
        /** f32 normals: the log's mantissa m, then Giles' polynomial r (see normal32). */
        private final float[] ms;
        private final double[] xd;
        /** f64 normals: the log's mantissa m, then Giles' polynomial r. */
        private final double[] md;

        Pass(KernelArgs a, int blocks) {
            this.a = a;
            words = new int[4 * blocks];
            s0 = new int[blocks];
            s1 = new int[blocks];
            s2 = new int[blocks];
            s3 = new int[blocks];
            k0 = (int) a.seed();
            k1 = (int) (a.seed() >>> 32);
            c2 = (int) a.stream();
            c3 = (int) (a.stream() >>> 32);
            boolean wide = a.dtype() == DType.F64;
            f = wide ? null : new float[4 * blocks];
            boolean normal = a.kind() == KernelArgs.Kind.NORMAL || a.kind() == KernelArgs.Kind.TRUNC_NORMAL;
            xs = normal && !wide ? new float[4 * blocks] : null;
            ms = normal && !wide ? new float[4 * blocks] : null;
            xd = normal && wide ? new double[2 * blocks] : null;
            md = normal && wide ? new double[2 * blocks] : null;
            h = a.dtype() == DType.BF16 || a.dtype() == DType.F16 ? new short[4 * blocks] : null;
            d = wide ? new double[2 * blocks] : null;
            fp = wide ? null : a.f32Params();
            dp = wide ? a.f64Params() : null;
        }

        /** Values of blocks [block, block + blocks) into f or d (blocks at most the scratch's); returns the element count. */
        int run(long block, int blocks) {
            philox(block, blocks, c2, c3, k0, k1, words, s0, s1, s2, s3);
            if (d != null) {
                int n = 2 * blocks;
                switch (a.kind()) {
                    case UNIFORM -> uniform64(words, n, dp, d);
                    case NORMAL -> normal64(words, n, dp, d, xd, md);
                    case TRUNC_NORMAL -> truncNormal64(words, n, dp, d, xd, md);
                    case LOG_OF_UNIFORM -> logOfUniform64(words, n, dp, d);
                    default -> throw new AssertionError(a.kind());
                }
                return n;
            }
            int n = 4 * blocks;
            switch (a.kind()) {
                case UNIFORM -> uniform32(words, n, fp, f);
                case NORMAL -> normal32(words, n, fp, f, xs, ms);
                case TRUNC_NORMAL -> truncNormal32(words, n, fp, f, xs, ms);
                case LOG_OF_UNIFORM -> logOfUniform32(words, n, fp, f);
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

    private static final long M0 = Philox.M0 & 0xFFFFFFFFL, M1 = Philox.M1 & 0xFFFFFFFFL;

    /**
     * Philox.block for blocks [block, block + blocks), into out (four words per block, block after block). Round by
     * round over all the blocks, each counter word in an array of its own: each round is then a loop that C2's
     * auto-vectorizer (SuperWord) turns into SIMD code, a lane per block, where one block's rounds are a chain of
     * dependent multiplies. The words are then interleaved into out. Steady state on one thread (2-core AMD EPYC with
     * AVX-512, JDK 25, 2^24 blocks): 1.4-1.6 ns per word against 3.7-4.0 for two blocks' rounds written side by side in
     * scalar code, the form before; with the JVM held to AVX2 (-XX:UseAVX=2) 2.8-3.1 against 3.7-3.8. The whole kernel,
     * per thread (ScalarKernelWarmupMain, 64 runs of 2^20, steady state, before -> after): f32 normals 110 -> 140 M/s,
     * f32 uniforms 160 -> 300, bf16 normals 108 -> 145, f64 normals 36 -> 43; held to AVX2 f32 normals 100 -> 121, f32
     * uniforms 160 -> 210, f64 normals 33 -> 34. Where SIMD has no 64-bit multiply to offer (AVX without AVX2: 5.2
     * against 3.9 ns per word) this form is the slower one; x86-64 machines of the last ten years have AVX2.
     */
    static void philox(long block, int blocks, int c2, int c3, int k0, int k1, int[] out, int[] s0, int[] s1, int[] s2, int[] s3) {
        for (int i = 0; i < blocks; i++) {
            long j = block + i;
            s0[i] = (int) j;
            s1[i] = (int) (j >>> 32);
            s2[i] = c2;
            s3[i] = c3;
        }
        for (int r = 0; r < Philox.ROUNDS; r++) {
            passPhiloxRound(blocks, k0, k1, s0, s1, s2, s3);
            k0 += Philox.W0;
            k1 += Philox.W1;
        }
        for (int i = 0; i < blocks; i++) {
            out[4 * i] = s0[i];
            out[4 * i + 1] = s1[i];
            out[4 * i + 2] = s2[i];
            out[4 * i + 3] = s3[i];
        }
    }

    /** One Philox round over every block's counter (see philox; a method of its own, as the passes of finish32). */
    private static void passPhiloxRound(int blocks, int k0, int k1, int[] s0, int[] s1, int[] s2, int[] s3) {
        for (int i = 0; i < blocks; i++) {
            long p0 = M0 * (s0[i] & 0xFFFFFFFFL);
            long p1 = M1 * (s2[i] & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ s1[i] ^ k0;
            int n2 = (int) (p0 >>> 32) ^ s3[i] ^ k1;
            s1[i] = (int) p1;
            s3[i] = (int) p0;
            s0[i] = n0;
            s2[i] = n2;
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

    /*
     * The f32 normals run F32Math.ndtri pass by pass, each pass a loop that C2's auto-vectorizer (SuperWord) can
     * turn into SIMD code where it holds only arithmetic on arrays, and the operations and their order per element
     * are the reference's:
     *   1. p from the word, x = 2p - 1 into xs, z = (4p)·q into out. The reference makes p with intBitsToFloat,
     *      which SuperWord does not vectorize (JDK 25); (float) k · 2⁻²³ is the same exact value k·2⁻²³, and the
     *      same 2⁻²⁴ is then added, so p keeps its bits.
     *   2. F32Math.log's bit steps on z (logExponent, logMantissa): m into ms, e as a float (exact) into out. Scalar:
     *      floatToRawIntBits and intBitsToFloat are not vectorized.
     *   3. The rest of the log from m and e (F32Math.logOfParts: a division and a polynomial): w = -log(z) into out. It
     *      reads e as a float: a loop that converted an int e in its body stayed scalar (JDK 25), 2.1-2.2 ns per element
     *      on one thread, against 0.7 ns for this one (2-core AMD EPYC with AVX-512, steady state).
     *   4. Giles' central polynomial of every w into ms (F32Math.gilesCentral, written out there for this).
     *   5. The tail branch (F32Math.gilesTail; w >= 5, about 0.3% of elements) where an element needs it, over 4's value.
     *   6. clamp(fma((r · x) · √2 · sign, scale, shift)), multiplying by the sign only where it is not 1 and clamping only
     *      where a bound is finite (truncated normals): a sign of 1 and a clamp to [-∞, +∞] change no bit of a non-NaN
     *      value. ScalarKernelTest checks every 23-bit input of these passes, and runs where the clamp binds.
     * C2 inlines those small F32Math methods into the loops before it vectorizes them: the same 117-121 M normals/s as
     * with copies of their bodies here (4 alternating JVMs each).
     * ScalarKernelWarmupMain, steady state, 4 alternating JVMs each on the 2-core EPYC: 111-116 M normals/s per thread
     * against 79-82 for the three passes this replaced (each calling F32Math; 46 in one loop before that). Whole
     * `tensorinit fill` of 2^26 normals to disk, 6 alternating runs: median wall 1.06 -> 0.93 s, fill 0.70 -> 0.58 s; at
     * 2^24 no change (0.65 s both; the fill is mostly the JIT's warm-up there, and these loops take C2 a little longer).
     */

    static void normal32(int[] w, int n, float[] prm, float[] out, float[] xs, float[] ms) {
        for (int i = 0; i < n; i++) {
            float p = (float) (w[i] >>> 9) * 0x1p-23f + 0x1p-24f;   // = F32Math.uniform(w[i]), bit for bit
            float q = 1f - p;
            xs[i] = p - q;
            out[i] = (4f * p) * q;
        }
        finish32(n, prm, out, xs, ms, 1f);
    }

    static void truncNormal32(int[] w, int n, float[] prm, float[] out, float[] xs, float[] ms) {
        float plo = prm[4], pspan = prm[5];
        for (int i = 0; i < n; i++) {
            float p = clamp(Math.fma(F32Math.uniform(w[i]), pspan, plo), F32Math.P_MIN, F32Math.P_MAX);
            float q = 1f - p;
            xs[i] = p - q;
            out[i] = (4f * p) * q;
        }
        finish32(n, prm, out, xs, ms, prm[6]);
    }

    /**
     * Passes 2-6 above: z in out, x in xs; ms is scratch. Each pass is a method of its own, which the launcher keeps C2
     * from inlining (scripts/jvm-options: pass*): compiled apart, the passes took C2 about a third less time in a fresh
     * JVM than as one method, where its loop optimizations dominated.
     */
    private static void finish32(int n, float[] prm, float[] out, float[] xs, float[] ms, float sign) {
        passLogBits32(n, out, ms);
        passLogArith32(n, out, ms);
        passCentral32(n, out, ms);
        passTail32(n, out, ms);
        float scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        passScale32(n, out, xs, ms, sign, scale, shift);
        if (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY) passClamp32(n, out, lo, hi);
    }

    private static void passLogBits32(int n, float[] out, float[] ms) {
        for (int i = 0; i < n; i++) {
            int e = F32Math.logExponent(out[i]);
            ms[i] = F32Math.logMantissa(out[i], e);
            out[i] = (float) e;
        }
    }

    private static void passLogArith32(int n, float[] out, float[] ms) {
        for (int i = 0; i < n; i++) out[i] = -F32Math.logOfParts(ms[i], out[i]);
    }

    private static void passCentral32(int n, float[] out, float[] ms) {
        for (int i = 0; i < n; i++) ms[i] = F32Math.gilesCentral(out[i]);
    }

    private static void passTail32(int n, float[] out, float[] ms) {
        for (int i = 0; i < n; i++) if (!(out[i] < 5f)) ms[i] = F32Math.gilesTail(out[i]);
    }

    private static void passScale32(int n, float[] out, float[] xs, float[] ms, float sign, float scale, float shift) {
        if (sign == 1f) {
            for (int i = 0; i < n; i++) out[i] = Math.fma((ms[i] * xs[i]) * F32Math.SQRT2, scale, shift);
        } else {
            for (int i = 0; i < n; i++) out[i] = Math.fma(((ms[i] * xs[i]) * F32Math.SQRT2) * sign, scale, shift);
        }
    }

    private static void passClamp32(int n, float[] out, float lo, float hi) {
        for (int i = 0; i < n; i++) out[i] = clamp(out[i], lo, hi);
    }

    /*
     * The f64 normals run F64Math.ndtri pass by pass as the f32 ones do (normal32): p, x = 2p - 1 into xs and z = (4p)·q
     * into out; log's bit steps (m into ms, e as a double into out); the rest of the log (F64Math.logOfParts); Giles'
     * central polynomial of every w into ms; the tail (w >= 6.25, about 0.1% of elements) where an element needs it;
     * the product, scale and clamp. The log's arithmetic, the central polynomial and the last pass are plain arithmetic
     * on arrays, which SuperWord vectorizes; the operations and their order per element are the reference's. Steady
     * state on one thread, these passes alone (2-core AMD EPYC with AVX-512): 3.5-3.8 ns per element against 11.7-12.7
     * for three passes that called F64Math.log and F64Math.giles per element; held to AVX2, 4.8 against 12.1-12.5.
     */

    static void uniform64(int[] w, int n, double[] prm, double[] out) {
        double scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) out[i] = clamp(Math.fma(F64Math.uniform(w[2 * i], w[2 * i + 1]), scale, shift), lo, hi);
    }

    /** The uniform's values, then the log of each (the kind is for small tensors such as A_log: no SIMD pass). */
    static void logOfUniform32(int[] w, int n, float[] prm, float[] out) {
        uniform32(w, n, prm, out);
        for (int i = 0; i < n; i++) out[i] = F32Math.log(out[i]);
    }

    static void logOfUniform64(int[] w, int n, double[] prm, double[] out) {
        uniform64(w, n, prm, out);
        for (int i = 0; i < n; i++) out[i] = F64Math.log(out[i]);
    }

    static void normal64(int[] w, int n, double[] prm, double[] out, double[] xs, double[] ms) {
        for (int i = 0; i < n; i++) {
            double p = F64Math.uniform(w[2 * i], w[2 * i + 1]);
            double q = 1.0 - p;
            xs[i] = p - q;
            out[i] = (4.0 * p) * q;
        }
        finish64(n, prm, out, xs, ms, 1.0);
    }

    static void truncNormal64(int[] w, int n, double[] prm, double[] out, double[] xs, double[] ms) {
        double plo = prm[4], pspan = prm[5];
        for (int i = 0; i < n; i++) {
            double p = clamp(Math.fma(F64Math.uniform(w[2 * i], w[2 * i + 1]), pspan, plo), F64Math.P_MIN, F64Math.P_MAX);
            double q = 1.0 - p;
            xs[i] = p - q;
            out[i] = (4.0 * p) * q;
        }
        finish64(n, prm, out, xs, ms, prm[6]);
    }

    /** The passes after the first (see above): z in out, x in xs; ms is scratch. */
    private static void finish64(int n, double[] prm, double[] out, double[] xs, double[] ms, double sign) {
        passLogBits64(n, out, ms);
        passLogArith64(n, out, ms);
        passCentral64(n, out, ms);
        passTail64(n, out, ms);
        passScale64(n, prm, out, xs, ms, sign);
    }

    private static void passLogBits64(int n, double[] out, double[] ms) {
        for (int i = 0; i < n; i++) {
            long e = F64Math.logExponent(out[i]);
            ms[i] = F64Math.logMantissa(out[i], e);
            out[i] = (double) e;
        }
    }

    private static void passLogArith64(int n, double[] out, double[] ms) {
        for (int i = 0; i < n; i++) out[i] = -F64Math.logOfParts(ms[i], out[i]);
    }

    private static void passCentral64(int n, double[] out, double[] ms) {
        for (int i = 0; i < n; i++) ms[i] = F64Math.gilesCentral(out[i]);
    }

    private static void passTail64(int n, double[] out, double[] ms) {
        for (int i = 0; i < n; i++) if (!(out[i] < 6.25)) ms[i] = F64Math.gilesTail(out[i]);
    }

    private static void passScale64(int n, double[] prm, double[] out, double[] xs, double[] ms, double sign) {
        double scale = prm[0], shift = prm[1], lo = prm[2], hi = prm[3];
        for (int i = 0; i < n; i++) out[i] = clamp(Math.fma(((ms[i] * xs[i]) * F64Math.SQRT2) * sign, scale, shift), lo, hi);
    }
}
