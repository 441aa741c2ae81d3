package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.F32Math;
import dev.tensorinit.kernel.F64Math;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Philox;
import dev.tensorinit.kernel.Reference;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Vector API kernel, bit-identical to {@link Reference}. A group is one Philox block per
 * {@code long} lane (4 blocks on AVX2): 16 f32/bf16/f16 elements or 8 f64 elements. The float
 * math repeats {@link F32Math}/{@link F64Math} operation by operation (same fma, same correctly
 * rounded division and sqrt, Giles' branches computed per vector and blended per lane, clamps as
 * compare-and-blend), so every lane rounds exactly as the scalar reference does. A run that starts
 * or ends inside a block or a step is computed in whole steps and only its own elements are copied
 * out; runs shorter than {@link #MIN_VECTOR_RUN} are written by the scalar reference.
 *
 * <p>Only {@link Kernels} loads this class, and only when {@code jdk.incubator.vector} is present.
 * Stateless apart from per-thread scratch tiles; thread-safe.
 */
final class VectorKernel implements RunKernel {

    // Species must be static final constants, or C2 does not intrinsify the vector operations.
    static final VectorShape SHAPE = VectorWidth.shape();
    static final VectorSpecies<Long> L = VectorSpecies.of(long.class, SHAPE);
    /**
     * L's concrete vector class (Long256Vector on AVX2). Vectors carried round a loop pass through a phi whose exact class
     * C2 otherwise takes from the type profile; {@code LONGS.cast} names it, profile or not (see philox).
     */
    @SuppressWarnings("unchecked")
    private static final Class<LongVector> LONGS = (Class<LongVector>) L.vectorType();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, SHAPE);
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, SHAPE);
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, SHAPE);
    /** D's concrete vector class (Double256Vector on AVX2), for the f64 polynomials' loops (see log64, giles64). */
    @SuppressWarnings("unchecked")
    private static final Class<DoubleVector> DOUBLES = (Class<DoubleVector>) D.vectorType();
    /** Shorts with as many lanes as I: the narrowed bf16/f16 store. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(SHAPE.vectorBitSize() / 2));
    /** Philox blocks per group: one per long lane. */
    static final int BLOCKS = L.length();

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long M0 = Philox.M0 & MASK32, M1 = Philox.M1 & MASK32;

    /** Int lane 4k+j of the first output vector takes int 2k+1-(j&1) of P or Q (see {@link #philox}). */
    private static final VectorShuffle<Integer> LOW_BLOCKS = interleave(0);
    private static final VectorShuffle<Integer> HIGH_BLOCKS = interleave(BLOCKS / 2);
    /** Lanes 4k+2, 4k+3: words 2 and 3 of each block, taken from Q. */
    private static final VectorMask<Integer> FROM_Q = VectorMask.fromLong(I, 0xCCCC_CCCC_CCCC_CCCCL);
    /** f64: long lane 2k+1 (int lanes 4k+2, 4k+3, as FROM_Q) takes the block's second element, from Q. */
    private static final VectorShuffle<Integer> D_LOW = interleave64(0);
    private static final VectorShuffle<Integer> D_HIGH = interleave64(BLOCKS / 2);

    // F32Math's constants (package-private there), same hex literals; the bit-identity tests guard them.
    private static final float L3 = 0x1.555556p-1f, L5 = 0x1.99999ap-2f, L7 = 0x1.24924ap-2f, L9 = 0x1.c71c72p-3f,
            L11 = 0x1.745d18p-3f;
    private static final float LN2_HI = 0x1.63p-1f, LN2_LO = -0x1.bd0106p-13f;
    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final float[] G1 = {0x1.e2cb1p-26f, 0x1.70966cp-22f, -0x1.d8e6aep-19f, -0x1.26b582p-18f, 0x1.ca65b6p-13f,
            -0x1.48a81p-10f, -0x1.11c9dep-8f, 0x1.f91ec6p-3f, 0x1.805c5ep+0f};
    private static final float[] G2 = {-0x1.a3e136p-13f, 0x1.a76ad6p-14f, 0x1.61b8e4p-10f, -0x1.e17bcep-9f, 0x1.7824f6p-8f,
            -0x1.f38baep-8f, 0x1.354afcp-7f, 0x1.006db6p+0f, 0x1.6a9efcp+1f};

    // F64Math's constants.
    private static final double[] DL = {0x1.5555555555555p-1, 0x1.999999999999ap-2, 0x1.2492492492492p-2, 0x1.c71c71c71c71cp-3,
            0x1.745d1745d1746p-3, 0x1.3b13b13b13b14p-3, 0x1.1111111111111p-3, 0x1.e1e1e1e1e1e1ep-4,
            0x1.af286bca1af28p-4, 0x1.8618618618618p-4, 0x1.642c8590b2164p-4};
    private static final double DLN2_HI = 0x1.62e42feep-1, DLN2_LO = 0x1.a39ef35793c76p-33;
    private static final long DSQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);
    private static final double[] DG1 = {-0x1.135d2e746e627p-68, -0x1.8ddf93324d327p-63, 0x1.7b83eef0b7c9fp-60,
            0x1.9ba72cd589b91p-57, -0x1.33689090a6b96p-53, 0x1.82e11898132e0p-56, 0x1.de4acfd9e26bap-48,
            -0x1.6d33eed66c487p-45, -0x1.6f2167040d8e2p-44, 0x1.72a22c2d77e20p-39, -0x1.c8859c4e5c0afp-37,
            -0x1.dc583d118a561p-35, 0x1.20f47ccf46b3cp-30, -0x1.1a9e38dc84d60p-28, -0x1.f36cd6d3d46a9p-26,
            0x1.c6b4f5d03b787p-22, -0x1.6e8a5434ae8a2p-20, -0x1.d1d1f7b8736f6p-17, 0x1.879c2a212f024p-13,
            -0x1.845769484fca8p-11, -0x1.8b6c33114f909p-8, 0x1.ebd80d9b13e28p-3, 0x1.a755e7c99ae86p+0};
    private static final double[] DG2 = {0x1.3040f87dbd932p-29, 0x1.85cbe52878635p-24, -0x1.2777453dd3955p-22,
            0x1.395abcd554c6cp-26, 0x1.936388a3790adp-20, -0x1.0d5db812b5083p-18, 0x1.8860cd5d652f6p-19,
            0x1.a29a0cacdfb23p-17, -0x1.8cef1f80281f2p-15, 0x1.1e684d0b9188ap-14, 0x1.932cd54c8a222p-16,
            -0x1.7448a89ef8aa3p-12, 0x1.f3cc55ad40c25p-11, -0x1.ba924132f38b1p-10, 0x1.468eeca533cf8p-9,
            -0x1.ebadabb891bbdp-9, 0x1.5ffcfe5b76afcp-8, 0x1.0158a6d641d39p+0, 0x1.8abcc380d5a48p+1};
    private static final double[] DG3 = {-0x1.dcec3a7785389p-36, -0x1.18feec0e38727p-32, 0x1.9e6bf2dda45e3p-30,
            -0x1.0468fb24e2f5fp-28, 0x1.05ac6a8fba182p-27, -0x1.0102e495fb9c0p-26, 0x1.f4c20e1334af8p-26,
            -0x1.22d220fdf9c3ep-24, 0x1.ebc8bb824cb54p-23, -0x1.0a8d40ea372ccp-20, 0x1.2fbd29d093d2bp-18,
            -0x1.4a3497e1e0facp-16, 0x1.3ebf4eb00938fp-14, -0x1.c2f36a8fc5d53p-13, -0x1.22ea5df04047cp-13,
            0x1.02a30d1fba0dcp+0, 0x1.3664ddd1ad7fbp+2};

    VectorKernel() {
        VectorWidth.check(SHAPE);
    }

    private static VectorShuffle<Integer> interleave(int firstBlock) {
        int n = I.length();
        int[] idx = new int[n];
        for (int lane = 0; lane < n; lane++) {
            int k = lane >>> 2, j = lane & 3;
            idx[lane] = 2 * (k + firstBlock) + 1 - (j & 1);
        }
        return VectorShuffle.fromArray(I, idx, 0);
    }

    /** Long lane m takes long (m>>1)+firstBlock of P (m even) or Q (m odd), as two int lanes. */
    private static VectorShuffle<Integer> interleave64(int firstBlock) {
        int n = I.length();
        int[] idx = new int[n];
        for (int lane = 0; lane < n; lane++) {
            int m = lane >>> 1;
            idx[lane] = 2 * ((m >>> 1) + firstBlock) + (lane & 1);
        }
        return VectorShuffle.fromArray(I, idx, 0);
    }

    @Override public String description() {
        return VectorWidth.description(SHAPE);
    }

    @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long dstOffset) {
        if (count <= 0) return;
        if (a.kind() == KernelArgs.Kind.CONSTANT) {
            ConstantFill.fillRun(a, first, count, dst, dstOffset);
            return;
        }
        if (count < MIN_VECTOR_RUN) {
            Reference.fillRun(a, first, count, dst, dstOffset);
            return;
        }
        // The vector passes start at the Philox block holding `first` and run whole steps past the
        // end; only [first, first + count) is copied out. The extra values are computed and dropped
        // (a value depends on its index alone), which is far cheaper than the scalar reference for
        // heads and tails: a 1000-column tile row on AVX2 had 40 scalar elements, a third of its time.
        int perBlock = Reference.elementsPerBlock(a.dtype());
        long block = first / perBlock;
        int skip = (int) (first - block * perBlock);
        Scratch t = scratch.get();
        if (a.dtype() == DType.F64) fillF64(a, block, skip, count, dst, dstOffset, t);
        else fillF32(a, block, skip, count, dst, dstOffset, t);
    }

    /**
     * Runs shorter than this go to the scalar reference: a vector step computes STEP_BLOCKS blocks
     * (64 f32 values on AVX2) whatever the run's length, about the cost of 8-16 scalar values.
     */
    static final int MIN_VECTOR_RUN = 16;

    /**
     * f32 elements per tile: 192 on AVX2 (768 bytes of f32 out), a multiple of the Philox step's
     * 4·STEP_BLOCKS elements (64 on AVX2, 96 at 512 bits). Small on purpose: each tile ends in a
     * copy to a destination that is usually not in cache, and a short burst of stores drains while the
     * next tile computes, where a long one (3 KiB, 768 elements, before) stalled the core on the stores.
     * A/B in alternating JVMs into a 128 MiB destination, thread CPU time, 5 alternating runs: uniform
     * f32 1.72 against 1.92 ns per element (median), 1.24 against 1.43 (best); into a 1 MiB destination
     * no difference.
     */
    static final int TILE = 48 * BLOCKS;

    /** One thread's tiles, reused across calls: per-call arrays would cost more than 0.01 byte per element. */
    private static final class Scratch {
        final int[] words = new int[TILE];
        final float[] xs = new float[TILE];
        final double[] xd = new double[TILE / 2];
        final short[] halves = new short[TILE];
        final long[] key = new long[2 * Philox.ROUNDS];
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /*
     * A tile goes through small passes, each its own loop method, with only scalars and arrays
     * crossing method boundaries: Philox words into an int[] tile, the math in place over it (a
     * float or double replaces the words it was made from), bf16/f16 narrowing into a short[],
     * then one bulk copy into dst. Why:
     * - C2 stops inlining when a method's graph grows too big, and a vector handed to a method
     *   that was not inlined is boxed (an allocation per vector, 30x slower). Small passes keep
     *   every vector inside one fully inlined loop.
     * - Vector stores into a MemorySegment are compiled for the segment kinds seen so far; once a
     *   loop has seen heap segments of several array types and native ones, C2 stops
     *   intrinsifying the store (boxing again). Vectors only touch the private tiles; the copy is
     *   MemorySegment.copy, which handles every kind of segment at memcpy speed.
     */
    /**
     * Elements [skip, skip + count) of the blocks from {@code block} on (f32, bf16, f16) into dst at
     * byte offset {@code off}: whole tiles of whole steps are computed, and each tile's share of the
     * run is copied out.
     */
    private static void fillF32(KernelArgs a, long block, int skip, long count, MemorySegment dst, long off, Scratch t) {
        float[] p = a.f32Params();
        DType dt = a.dtype();
        int[] words = t.words;
        long[] key = keySchedule(a.seed(), t.key);
        short[] halves = t.halves;
        float[] xs = t.xs;
        long end = skip + count;
        int stepElements = 4 * STEP_BLOCKS;
        for (long done = 0; done < end; done += TILE) {
            int n = (int) Math.min(TILE, (end - done + stepElements - 1) / stepElements * stepElements);
            int from = (int) Math.max(0, skip - done), to = (int) Math.min(n, end - done);
            long at = done + from - skip;   // the run's element written first from this tile
            philox(key, a.stream(), block + done / 4, n / 4, words, false);
            switch (a.kind()) {
                case UNIFORM -> uniform32(words, n, p[0], p[1], p[2], p[3]);
                case NORMAL -> {
                    log32(words, xs, n, false, 0f, 1f);
                    giles32(words, xs, n, p[0], p[1], p[2], p[3], 1f);
                }
                case TRUNC_NORMAL -> {
                    log32(words, xs, n, true, p[4], p[5]);
                    giles32(words, xs, n, p[0], p[1], p[2], p[3], p[6]);
                }
                case LOG_OF_UNIFORM -> {
                    uniform32(words, n, p[0], p[1], p[2], p[3]);
                    logInPlace32(words, n);
                }
                default -> throw new AssertionError(a.kind());
            }
            switch (dt) {
                case F32 -> MemorySegment.copy(words, from, dst, ValueLayout.JAVA_INT_UNALIGNED, off + at * 4, to - from);
                case BF16 -> {
                    bf16(words, n, halves);
                    MemorySegment.copy(halves, from, dst, ValueLayout.JAVA_SHORT_UNALIGNED, off + at * 2, to - from);
                }
                case F16 -> {
                    f16(words, n, halves);
                    MemorySegment.copy(halves, from, dst, ValueLayout.JAVA_SHORT_UNALIGNED, off + at * 2, to - from);
                }
                default -> throw new AssertionError(dt);
            }
        }
    }

    /** As fillF32, for f64: two ints of the tile per element. */
    private static void fillF64(KernelArgs a, long block, int skip, long count, MemorySegment dst, long off, Scratch t) {
        double[] p = a.f64Params();
        int[] words = t.words;
        long[] key = keySchedule(a.seed(), t.key);
        long end = skip + count;
        int stepElements = 2 * STEP_BLOCKS;
        for (long done = 0; done < end; done += TILE / 2) {
            int n = (int) Math.min(TILE / 2, (end - done + stepElements - 1) / stepElements * stepElements);
            int from = (int) Math.max(0, skip - done), to = (int) Math.min(n, end - done);
            long at = done + from - skip;
            philox(key, a.stream(), block + done / 2, n / 2, words, true);
            switch (a.kind()) {
                case UNIFORM -> uniform64(words, n, p[0], p[1], p[2], p[3]);
                case NORMAL -> {
                    log64(words, t.xd, n, false, 0.0, 1.0);
                    giles64(words, t.xd, n, p[0], p[1], p[2], p[3], 1.0);
                }
                case TRUNC_NORMAL -> {
                    log64(words, t.xd, n, true, p[4], p[5]);
                    giles64(words, t.xd, n, p[0], p[1], p[2], p[3], p[6]);
                }
                case LOG_OF_UNIFORM -> {
                    uniform64(words, n, p[0], p[1], p[2], p[3]);
                    logInPlace64(words, n);
                }
                default -> throw new AssertionError(a.kind());
            }
            // The int pairs are little-endian longs (the Vector API's lane order), as in native
            // memory on x86-64 and aarch64.
            MemorySegment.copy(words, 2 * from, dst, ValueLayout.JAVA_INT_UNALIGNED, off + at * 8, 2 * (to - from));
        }
    }

    /**
     * Round keys into key, each already shifted into the high half of a long (where the round xors it):
     * round r's k0 = seed lo + r·W0 at [r], k1 = seed hi + r·W1 at [ROUNDS + r]. The Philox pass then
     * broadcasts each from memory with one instruction instead of a load, shift and register move.
     */
    static long[] keySchedule(long seed, long[] key) {
        for (int r = 0; r < Philox.ROUNDS; r++) {
            key[r] = (((int) seed + r * Philox.W0) & MASK32) << 32;
            key[Philox.ROUNDS + r] = (((int) (seed >>> 32) + r * Philox.W1) & MASK32) << 32;
        }
        return key;
    }

    /**
     * Groups (vectors of BLOCKS Philox blocks) interleaved per step of the Philox pass: enough
     * independent multiply chains to hide the multiply's latency, few enough that the two state
     * vectors per group and the constants stay in the 16 (AVX2) or 32 (AVX-512) vector registers.
     * 4 below 512 bits, 3 from 512 bits on. philox is the vector kernel's biggest compile, and a fresh
     * JVM's fill waits for it (WarmingKernel): each group fewer is a quarter less of it to compile.
     * Measured on a 2-core AVX-512 AMD EPYC, runs alternating between builds (benchmarks/warm-probe.sh
     * for the warm-up, `tensorinit bench` for the warm speed on both cores, medians of 5):
     * <ul>
     *   <li>4 groups: warm after 0.40 s, f32 uniform 4.27 Gfloat/s, normal 2.55;</li>
     *   <li>3 groups: warm after 0.34 s, uniform 4.18, normal 2.44 (f64 normals warm 0.38 against 0.41-0.43 s,
     *       f32 uniforms 0.27 against 0.32-0.35 s);</li>
     *   <li>2 groups: warm after 0.31 s, uniform 3.86, normal 2.37 (whole 2^28 normal fills to disk
     *       1618 -> 1514 ms against 4 groups, 10 each).</li>
     * </ul>
     * Three keep the warm speed within 2-4 % and most of the shorter warm-up. At 256 bits (-XX:UseAVX=2
     * there) two groups ran 2.07-2.29 ns per element on one thread against 1.92-1.95 for four, so AVX2
     * keeps four.
     */
    static final int GROUPS = BLOCKS >= 8 ? 3 : 4;
    /** Whether the Philox pass runs group D (a constant: at 512 bits C2 drops its code). */
    private static final boolean FOUR_GROUPS = GROUPS == 4;
    /** Philox blocks per step of the Philox pass. */
    static final int STEP_BLOCKS = GROUPS * BLOCKS;

    /**
     * Philox4x32-10 of {@code blocks} (a multiple of STEP_BLOCKS) consecutive blocks into
     * {@code words}, in element order: f32 (f64 = false): word j of block b at [4b + j]; f64:
     * element 2b+e as the int pair (w[2e+1], w[2e]) at [4b + 2e], a little-endian long
     * (w[2e] << 32) | w[2e+1].
     *
     * <p>Lane k of a group holds block (block + k) as two longs: x0 = (c0 << 32) | c1 and
     * x2 = (c2 << 32) | c3. A round is then, per long:
     * <pre>
     *   q0 = (x0 >>> 32) · M0            p0 = M0·c0: both operands provably 32-bit, so one vpmuludq
     *   q1 = (x2 >>> 32) · M1            p1 = M1·c2
     *   x0 = q1 ^ (x0 << 32) ^ (k0 << 32)   = (hi(p1) ^ c1 ^ k0, lo(p1)) = (c0', c1')
     *   x2 = q0 ^ (x2 << 32) ^ (k1 << 32)   = (hi(p0) ^ c3 ^ k1, lo(p0)) = (c2', c3')
     * </pre>
     * Two shifts, one multiply and two xors per product, and only two live vectors per group (the
     * new c1 and c3 are the low halves of x0 and x2), so four groups and the constants fit in
     * AVX2's 16 registers without spilling. An unmasked LongVector.mul would be an emulated
     * 64-bit multiply, twice as slow. Measured on a 2-core AVX2 machine: 0.44 ns per element
     * against 1.0 for the previous form (three groups, four live vectors each, which spilled).
     */
    static void philox(long[] key, long stream, long block, int blocks, int[] words, boolean f64) {
        int s0 = (int) stream, s1 = (int) (stream >>> 32);
        // Round 0 with the constant stream words folded: p1 = M1·s0 is the same for every block, so
        // x0 = (bhi ^ hi(p1) ^ k0, lo(p1)) = (lane & HIGH) ^ r0x0 and x2 = M0·blo ^ ((s1 ^ k1) << 32).
        long p1c = M1 * (s0 & MASK32);
        long r0x0 = p1c ^ key[0];
        long r0x2 = ((s1 & MASK32) << 32) ^ key[Philox.ROUNDS];
        LongVector mask = LongVector.broadcast(L, MASK32);
        LongVector m0 = LongVector.broadcast(L, M0).and(MASK32);
        LongVector m1 = LongVector.broadcast(L, M1).and(MASK32);
        LongVector iota = LongVector.zero(L).addIndex(1);
        // Broadcast once: operations with vector operands compile faster (see the note above uniform32).
        LongVector stride = LongVector.broadcast(L, BLOCKS), high = LongVector.broadcast(L, ~MASK32);
        LongVector r0x0v = LongVector.broadcast(L, r0x0), r0x2v = LongVector.broadcast(L, r0x2);
        int step = I.length();
        for (int b = 0, i = 0; b < blocks; b += STEP_BLOCKS, i += 2 * GROUPS * step) {
            LongVector laneA = iota.add(LongVector.broadcast(L, block + b));
            LongVector laneB = laneA.add(stride);
            LongVector laneC = laneB.add(stride);
            LongVector x0A = laneA.and(high).lanewise(VectorOperators.XOR, r0x0v);
            LongVector x0B = laneB.and(high).lanewise(VectorOperators.XOR, r0x0v);
            LongVector x0C = laneC.and(high).lanewise(VectorOperators.XOR, r0x0v);
            LongVector x2A = laneA.and(mask).mul(m0).lanewise(VectorOperators.XOR, r0x2v);
            LongVector x2B = laneB.and(mask).mul(m0).lanewise(VectorOperators.XOR, r0x2v);
            LongVector x2C = laneC.and(mask).mul(m0).lanewise(VectorOperators.XOR, r0x2v);
            // Group D (below 512 bits only): every use sits under FOUR_GROUPS, a constant, so at 512 bits it is in
            // neither the JIT's parse nor the compiled loop; the copies of A only give it a value.
            LongVector x0D = x0A, x2D = x0A;
            if (FOUR_GROUPS) {
                LongVector laneD = laneC.add(stride);
                x0D = laneD.and(high).lanewise(VectorOperators.XOR, r0x0v);
                x2D = laneD.and(mask).mul(m0).lanewise(VectorOperators.XOR, r0x2v);
            }
            for (int r = 1; r < Philox.ROUNDS; r++) {
                // The state crosses the loop's phis: cast to the concrete class so C2 inlines the vector calls whatever the
                // profile says (a compile from a profile without receiver types leaves them per-lane Java; seen as
                // 265-397 bytes allocated per element for uniform f32 in VectorKernelTest, 1 of 3 runs of one test order).
                x0A = LONGS.cast(x0A); x0B = LONGS.cast(x0B); x0C = LONGS.cast(x0C);
                x2A = LONGS.cast(x2A); x2B = LONGS.cast(x2B); x2C = LONGS.cast(x2C);
                LongVector k0 = LongVector.broadcast(L, key[r]), k1 = LongVector.broadcast(L, key[Philox.ROUNDS + r]);
                LongVector q0A = x0A.lanewise(VectorOperators.LSHR, 32).mul(m0);
                LongVector q1A = x2A.lanewise(VectorOperators.LSHR, 32).mul(m1);
                LongVector q0B = x0B.lanewise(VectorOperators.LSHR, 32).mul(m0);
                LongVector q1B = x2B.lanewise(VectorOperators.LSHR, 32).mul(m1);
                LongVector q0C = x0C.lanewise(VectorOperators.LSHR, 32).mul(m0);
                LongVector q1C = x2C.lanewise(VectorOperators.LSHR, 32).mul(m1);
                if (FOUR_GROUPS) {
                    x0D = LONGS.cast(x0D); x2D = LONGS.cast(x2D);
                    LongVector q0D = x0D.lanewise(VectorOperators.LSHR, 32).mul(m0);
                    LongVector q1D = x2D.lanewise(VectorOperators.LSHR, 32).mul(m1);
                    x0D = q1D.lanewise(VectorOperators.XOR, x0D.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k0));
                    x2D = q0D.lanewise(VectorOperators.XOR, x2D.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k1));
                }
                x0A = q1A.lanewise(VectorOperators.XOR, x0A.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k0));
                x2A = q0A.lanewise(VectorOperators.XOR, x2A.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k1));
                x0B = q1B.lanewise(VectorOperators.XOR, x0B.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k0));
                x2B = q0B.lanewise(VectorOperators.XOR, x2B.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k1));
                x0C = q1C.lanewise(VectorOperators.XOR, x0C.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k0));
                x2C = q0C.lanewise(VectorOperators.XOR, x2C.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.XOR, k1));
            }
            // After round 9, x0 = (w0 << 32) | w1 and x2 = (w2 << 32) | w3: as ints, block k's
            // words 0..3 are ints (2k+1, 2k) of x0, then of x2.
            IntVector pwA = x0A.reinterpretAsInts(), qwA = x2A.reinterpretAsInts();
            IntVector pwB = x0B.reinterpretAsInts(), qwB = x2B.reinterpretAsInts();
            IntVector pwC = x0C.reinterpretAsInts(), qwC = x2C.reinterpretAsInts();
            // Each branch names its shuffles as constants: a shuffle picked by a ternary is a phi,
            // which C2 materializes as an object on every use.
            if (f64) {
                pwA.rearrange(D_LOW).blend(qwA.rearrange(D_LOW), FROM_Q).intoArray(words, i + 0 * step);
                pwA.rearrange(D_HIGH).blend(qwA.rearrange(D_HIGH), FROM_Q).intoArray(words, i + 1 * step);
                pwB.rearrange(D_LOW).blend(qwB.rearrange(D_LOW), FROM_Q).intoArray(words, i + 2 * step);
                pwB.rearrange(D_HIGH).blend(qwB.rearrange(D_HIGH), FROM_Q).intoArray(words, i + 3 * step);
                pwC.rearrange(D_LOW).blend(qwC.rearrange(D_LOW), FROM_Q).intoArray(words, i + 4 * step);
                pwC.rearrange(D_HIGH).blend(qwC.rearrange(D_HIGH), FROM_Q).intoArray(words, i + 5 * step);
            } else {
                pwA.rearrange(LOW_BLOCKS).blend(qwA.rearrange(LOW_BLOCKS), FROM_Q).intoArray(words, i + 0 * step);
                pwA.rearrange(HIGH_BLOCKS).blend(qwA.rearrange(HIGH_BLOCKS), FROM_Q).intoArray(words, i + 1 * step);
                pwB.rearrange(LOW_BLOCKS).blend(qwB.rearrange(LOW_BLOCKS), FROM_Q).intoArray(words, i + 2 * step);
                pwB.rearrange(HIGH_BLOCKS).blend(qwB.rearrange(HIGH_BLOCKS), FROM_Q).intoArray(words, i + 3 * step);
                pwC.rearrange(LOW_BLOCKS).blend(qwC.rearrange(LOW_BLOCKS), FROM_Q).intoArray(words, i + 4 * step);
                pwC.rearrange(HIGH_BLOCKS).blend(qwC.rearrange(HIGH_BLOCKS), FROM_Q).intoArray(words, i + 5 * step);
            }
            if (FOUR_GROUPS) {
                IntVector pwD = x0D.reinterpretAsInts(), qwD = x2D.reinterpretAsInts();
                if (f64) {
                    pwD.rearrange(D_LOW).blend(qwD.rearrange(D_LOW), FROM_Q).intoArray(words, i + 6 * step);
                    pwD.rearrange(D_HIGH).blend(qwD.rearrange(D_HIGH), FROM_Q).intoArray(words, i + 7 * step);
                } else {
                    pwD.rearrange(LOW_BLOCKS).blend(qwD.rearrange(LOW_BLOCKS), FROM_Q).intoArray(words, i + 6 * step);
                    pwD.rearrange(HIGH_BLOCKS).blend(qwD.rearrange(HIGH_BLOCKS), FROM_Q).intoArray(words, i + 7 * step);
                }
            }
        }
    }

    // The f32 passes: Reference.f32 on F.length() words at a time; each value's bits replace its word.
    // Helpers that take or return vectors are avoided on purpose: a helper that C2 compiled on
    // its own first is "already compiled into a big method" and no longer inlined.
    // Constants are broadcast once, before the loop, and the operations take vectors: most of C2's time
    // on these passes goes to inlining the Vector API, and an operation with a scalar operand (x.sub(1f))
    // inlines a broadcast of its own at every use. C2 hoisted those broadcasts out of the loop anyway,
    // so the compiled loop is the same; the compile is shorter (philox's, compiled alone: median 89 ->
    // 78 ms of 12 each) and the kernel warm sooner in a fresh JVM (benchmarks/warm-probe.sh, 6
    // alternating runs: f32 normal 0.416 -> 0.391 s, f32 uniform 0.299 -> 0.284 s, bf16 truncated
    // normal 0.444 -> 0.390 s; then the bf16, f16 and f64 passes: bf16 normal 0.427 -> 0.378 s, f64
    // normal 0.452 -> 0.436 s), with the warm speed unchanged at 256 and 512 bits. Except giles64: with
    // its constants broadcast before the loop, a compile without type profiles boxed vectors (f64
    // truncated normal, 0.83 bytes allocated per element: VectorKernelTest), so it takes scalars.

    static void uniform32(int[] words, int n, float scale, float offset, float lo, float hi) {
        IntVector exponent = IntVector.broadcast(I, 0x3F800000);
        FloatVector one = FloatVector.broadcast(F, 1f), ulp = FloatVector.broadcast(F, 0x1p-24f);
        FloatVector sv = FloatVector.broadcast(F, scale), ov = FloatVector.broadcast(F, offset);
        FloatVector lov = FloatVector.broadcast(F, lo), hiv = FloatVector.broadcast(F, hi);
        for (int i = 0; i < n; i += F.length()) {
            // F32Math.uniform: (1.k - 1) + 2⁻²⁴ with k the top 23 bits.
            FloatVector u = IntVector.fromArray(I, words, i).lanewise(VectorOperators.LSHR, 9).or(exponent)
                    .reinterpretAsFloats().sub(one).add(ulp);
            FloatVector y = u.fma(sv, ov);
            y = y.blend(lov, y.lt(lov));   // clamp by compare-and-blend, like the reference (min/max differ on signed zeros)
            y = y.blend(hiv, y.compare(VectorOperators.GT, hiv));
            y.reinterpretAsInts().intoArray(words, i);
        }
    }

    /**
     * LOG_OF_UNIFORM's second half: the reference's log of each f32 value in the tile, lane by lane. The kind fills
     * small tensors (linear attention's A_log, one value per head), so its log is not worth a vector pass of its own.
     */
    static void logInPlace32(int[] words, int n) {
        for (int i = 0; i < n; i++) words[i] = Float.floatToRawIntBits(F32Math.log(Float.intBitsToFloat(words[i])));
    }

    /** As logInPlace32, for f64 values held as little-endian int pairs. */
    static void logInPlace64(int[] words, int n) {
        for (int i = 0; i < n; i++) {
            long bits = (words[2 * i] & 0xFFFF_FFFFL) | ((long) words[2 * i + 1] << 32);
            long y = Double.doubleToRawLongBits(F64Math.log(Double.longBitsToDouble(bits)));
            words[2 * i] = (int) y;
            words[2 * i + 1] = (int) (y >>> 32);
        }
    }

    /**
     * NORMAL and TRUNC_NORMAL, first half: p from the word (clamped into [P_MIN, P_MAX]), then
     * x = 2p - 1 into xs and w = -log((4p)(1-p)) in place of the word (F32Math.log written out).
     * NORMAL ({@code truncated} false) skips the fma and the clamp, which is bit-identical to the
     * reference's untruncated path: fma(u, 1, 0) = u, and u on the lattice [2⁻²⁴, 1 - 2⁻²⁴] never
     * meets the clamp. The test is loop-invariant, so C2 unswitches the loop on it.
     * ndtri is split in two passes because each half is a long dependency chain (a division, then
     * a polynomial): shorter loop bodies let the core overlap more iterations.
     */
    static void log32(int[] words, float[] xs, int n, boolean truncated, float plo, float pspan) {
        IntVector exponent = IntVector.broadcast(I, 0x3F800000), sqrtHalf = IntVector.broadcast(I, SQRT_HALF_BITS);
        FloatVector one = FloatVector.broadcast(F, 1f), ulp = FloatVector.broadcast(F, 0x1p-24f);
        FloatVector four = FloatVector.broadcast(F, 4f);
        FloatVector spanv = FloatVector.broadcast(F, pspan), lov = FloatVector.broadcast(F, plo);
        FloatVector pmin = FloatVector.broadcast(F, F32Math.P_MIN), pmax = FloatVector.broadcast(F, F32Math.P_MAX);
        FloatVector l11 = FloatVector.broadcast(F, L11), l9 = FloatVector.broadcast(F, L9), l7 = FloatVector.broadcast(F, L7);
        FloatVector l5 = FloatVector.broadcast(F, L5), l3 = FloatVector.broadcast(F, L3);
        FloatVector ln2Hi = FloatVector.broadcast(F, LN2_HI), ln2Lo = FloatVector.broadcast(F, LN2_LO);
        for (int i = 0; i < n; i += F.length()) {
            FloatVector p = IntVector.fromArray(I, words, i).lanewise(VectorOperators.LSHR, 9).or(exponent)
                    .reinterpretAsFloats().sub(one).add(ulp);
            if (truncated) {
                p = p.fma(spanv, lov);
                p = p.blend(pmin, p.lt(pmin));
                p = p.blend(pmax, p.compare(VectorOperators.GT, pmax));
            }
            FloatVector q = one.sub(p);
            p.sub(q).intoArray(xs, i);
            // log(z): z = 2^e·m with m in [√½, √2), log m = 2·atanh(s), s = (m-1)/(m+1).
            IntVector bits = p.mul(four).mul(q).reinterpretAsInts();
            IntVector e = bits.sub(sqrtHalf).lanewise(VectorOperators.ASHR, 23);
            FloatVector m = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
            FloatVector s = m.sub(one).div(m.add(one));
            FloatVector s2 = s.mul(s);
            FloatVector poly = s2.fma(l11, l9);
            poly = poly.fma(s2, l7);
            poly = poly.fma(s2, l5);
            poly = poly.fma(s2, l3);
            FloatVector lm = s.mul(s2).fma(poly, s.add(s));
            FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
            FloatVector w = ef.fma(ln2Hi, ef.fma(ln2Lo, lm)).neg();
            w.reinterpretAsInts().intoArray(words, i);
        }
    }

    /**
     * Second half: ndtri = (r(w)·x)·√2 with Giles' polynomials, then y = clamp(fma(ndtri·sign, scale, offset)).
     * The multiply by a sign of 1 and a clamp to [-∞, +∞] change no bit (y is never NaN), so they are
     * skipped when the parameters make them no-ops, as for every untruncated normal.
     */
    static void giles32(int[] words, float[] xs, int n, float scale, float offset, float lo, float hi, float sign) {
        boolean signed = sign != 1f, clamped = lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY;
        FloatVector center = FloatVector.broadcast(F, 2.5f), tail = FloatVector.broadcast(F, 5f), three = FloatVector.broadcast(F, 3f);
        FloatVector sqrt2 = FloatVector.broadcast(F, F32Math.SQRT2), signv = FloatVector.broadcast(F, sign);
        FloatVector sv = FloatVector.broadcast(F, scale), ov = FloatVector.broadcast(F, offset);
        FloatVector lov = FloatVector.broadcast(F, lo), hiv = FloatVector.broadcast(F, hi);
        for (int i = 0; i < n; i += F.length()) {
            FloatVector w = IntVector.fromArray(I, words, i).reinterpretAsFloats();
            // The central branch (w < 5) for every lane; the tail branch (w >= 5, about 0.3% of
            // elements) and its square root only when some lane needs it, blended per lane.
            FloatVector t1 = w.sub(center);
            // Horner written out, not a loop over G1: a loop carries r through a phi whose exact vector class C2 takes from
            // the type profile, and compiled from a profile without it (seen with a warm-up that primed this pass with
            // one-vector calls: 6 of 9 runs) the fma calls stayed per-lane Java, 270x slower, for good. Written out, r's class
            // follows from broadcast's, profile or not (the same priming: 9 of 9 runs compiled). philox casts its loop's
            // state instead, and so do giles64's and log64's coefficient loops.
            FloatVector r = FloatVector.broadcast(F, G1[0]).fma(t1, FloatVector.broadcast(F, G1[1]))
                    .fma(t1, FloatVector.broadcast(F, G1[2])).fma(t1, FloatVector.broadcast(F, G1[3]))
                    .fma(t1, FloatVector.broadcast(F, G1[4])).fma(t1, FloatVector.broadcast(F, G1[5]))
                    .fma(t1, FloatVector.broadcast(F, G1[6])).fma(t1, FloatVector.broadcast(F, G1[7]))
                    .fma(t1, FloatVector.broadcast(F, G1[8]));
            VectorMask<Float> central = w.lt(tail);
            if (!central.allTrue()) {
                FloatVector t2 = w.sqrt().sub(three);
                FloatVector r2 = FloatVector.broadcast(F, G2[0]).fma(t2, FloatVector.broadcast(F, G2[1]))
                        .fma(t2, FloatVector.broadcast(F, G2[2])).fma(t2, FloatVector.broadcast(F, G2[3]))
                        .fma(t2, FloatVector.broadcast(F, G2[4])).fma(t2, FloatVector.broadcast(F, G2[5]))
                        .fma(t2, FloatVector.broadcast(F, G2[6])).fma(t2, FloatVector.broadcast(F, G2[7]))
                        .fma(t2, FloatVector.broadcast(F, G2[8]));
                r = r2.blend(r, central);
            }
            FloatVector z = r.mul(FloatVector.fromArray(F, xs, i)).mul(sqrt2);
            if (signed) z = z.mul(signv);
            FloatVector y = z.fma(sv, ov);
            if (clamped) {
                y = y.blend(lov, y.lt(lov));
                y = y.blend(hiv, y.compare(VectorOperators.GT, hiv));
            }
            y.reinterpretAsInts().intoArray(words, i);
        }
    }

    /** F32Math.toBf16 on the f32 bits in words, narrowed to shorts: round to nearest even on the top 16 bits. */
    static void bf16(int[] words, int n, short[] out) {
        IntVector half = IntVector.broadcast(I, 0x7FFF), one = IntVector.broadcast(I, 1);
        for (int i = 0; i < n; i += I.length()) {
            IntVector b = IntVector.fromArray(I, words, i);
            IntVector h = b.add(half).add(b.lanewise(VectorOperators.LSHR, 16).and(one)).lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) h.convertShape(VectorOperators.I2S, S, 0)).intoArray(out, i);
        }
    }

    /**
     * Float.floatToFloat16 on the f32 bits in words, narrowed to shorts, for finite non-NaN values
     * (the kernel makes no others): at and above 2⁻¹⁴ the 13 dropped bits round to nearest even
     * and overflow goes to infinity; below it the float addition |v| + 0.5 rounds to a multiple of
     * 2⁻²⁴ in hardware, and the low bits of the sum are the subnormal.
     */
    static void f16(int[] words, int n, short[] out) {
        IntVector signBit = IntVector.broadcast(I, 0x8000), magnitude = IntVector.broadcast(I, 0x7FFFFFFF);
        IntVector rebias = IntVector.broadcast(I, 0x38000000 - 0xFFF), one = IntVector.broadcast(I, 1);
        IntVector infinity = IntVector.broadcast(I, 0x7C00), halfBits = IntVector.broadcast(I, 0x3F000000);
        IntVector smallest = IntVector.broadcast(I, 0x38800000);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        for (int i = 0; i < n; i += I.length()) {
            IntVector b = IntVector.fromArray(I, words, i);
            IntVector sign = b.lanewise(VectorOperators.LSHR, 16).and(signBit);
            IntVector a = b.and(magnitude);
            IntVector normal = a.sub(rebias).add(a.lanewise(VectorOperators.LSHR, 13).and(one))
                    .lanewise(VectorOperators.LSHR, 13).min(infinity);
            IntVector sub = a.reinterpretAsFloats().add(half).reinterpretAsInts().sub(halfBits);
            IntVector h = normal.blend(sub, a.lt(smallest)).or(sign);
            ((ShortVector) h.convertShape(VectorOperators.I2S, S, 0)).intoArray(out, i);
        }
    }

    // The f64 passes: Reference.f64 on D.length() elements at a time, from the word pairs.

    static void uniform64(int[] words, int n, double scale, double offset, double lo, double hi) {
        LongVector top = LongVector.broadcast(L, 0x000F_FFFF_FC00_0000L), low = LongVector.broadcast(L, MASK32);
        LongVector exponent = LongVector.broadcast(L, 0x3FF0000000000000L);
        DoubleVector one = DoubleVector.broadcast(D, 1.0), ulp = DoubleVector.broadcast(D, 0x1p-53);
        DoubleVector sv = DoubleVector.broadcast(D, scale), ov = DoubleVector.broadcast(D, offset);
        DoubleVector lov = DoubleVector.broadcast(D, lo), hiv = DoubleVector.broadcast(D, hi);
        for (int i = 0; i < n; i += D.length()) {
            // F64Math.uniform from w = (hi word << 32) | lo word: k = (hi >>> 6) << 26 | (lo >>> 6), u = (1.k - 1) + 2⁻⁵³.
            LongVector wv = IntVector.fromArray(I, words, 2 * i).reinterpretAsLongs();
            DoubleVector u = wv.lanewise(VectorOperators.LSHR, 12).and(top)
                    .or(wv.and(low).lanewise(VectorOperators.LSHR, 6))
                    .or(exponent).reinterpretAsDoubles().sub(one).add(ulp);
            DoubleVector y = u.fma(sv, ov);
            y = y.blend(lov, y.lt(lov));
            y = y.blend(hiv, y.compare(VectorOperators.GT, hiv));
            y.reinterpretAsInts().intoArray(words, 2 * i);
        }
    }

    /**
     * NORMAL (truncated false: see log32) and TRUNC_NORMAL in f64, first half: x = 2p - 1 into
     * xs, w = -log((4p)(1-p)) in place of the word pair (F64Math.log written out).
     */
    static void log64(int[] words, double[] xs, int n, boolean truncated, double plo, double pspan) {
        LongVector top = LongVector.broadcast(L, 0x000F_FFFF_FC00_0000L), low = LongVector.broadcast(L, MASK32);
        LongVector exponent = LongVector.broadcast(L, 0x3FF0000000000000L);
        DoubleVector one = DoubleVector.broadcast(D, 1.0), ulp = DoubleVector.broadcast(D, 0x1p-53);
        LongVector sqrtHalf = LongVector.broadcast(L, DSQRT_HALF_BITS), magicBits = LongVector.broadcast(L, MAGIC_BITS);
        DoubleVector four = DoubleVector.broadcast(D, 4.0), magic = DoubleVector.broadcast(D, MAGIC);
        DoubleVector spanv = DoubleVector.broadcast(D, pspan), lov = DoubleVector.broadcast(D, plo);
        DoubleVector pmin = DoubleVector.broadcast(D, F64Math.P_MIN), pmax = DoubleVector.broadcast(D, F64Math.P_MAX);
        DoubleVector ln2Hi = DoubleVector.broadcast(D, DLN2_HI), ln2Lo = DoubleVector.broadcast(D, DLN2_LO);
        for (int i = 0; i < n; i += D.length()) {
            // F64Math.uniform from w = (hi word << 32) | lo word: k = (hi >>> 6) << 26 | (lo >>> 6), u = (1.k - 1) + 2⁻⁵³.
            LongVector wv = IntVector.fromArray(I, words, 2 * i).reinterpretAsLongs();
            DoubleVector u = wv.lanewise(VectorOperators.LSHR, 12).and(top)
                    .or(wv.and(low).lanewise(VectorOperators.LSHR, 6))
                    .or(exponent).reinterpretAsDoubles().sub(one).add(ulp);
            DoubleVector p = u;
            if (truncated) {
                p = p.fma(spanv, lov);
                p = p.blend(pmin, p.lt(pmin));
                p = p.blend(pmax, p.compare(VectorOperators.GT, pmax));
            }
            DoubleVector q = one.sub(p);
            p.sub(q).intoArray(xs, i);
            LongVector bits = p.mul(four).mul(q).reinterpretAsLongs();
            LongVector e = bits.sub(sqrtHalf).lanewise(VectorOperators.ASHR, 52);
            DoubleVector m = bits.sub(e.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
            DoubleVector s = m.sub(one).div(m.add(one));
            DoubleVector s2 = s.mul(s);
            DoubleVector poly = DoubleVector.broadcast(D, DL[DL.length - 1]);
            // Cast at the loop's top, as philox: poly crosses its phi, and without the cast a compile from a profile without
            // receiver types (-XX:-UseTypeProfile gives one every time) left the vector calls per-lane Java.
            for (int k = DL.length - 2; k >= 0; k--) poly = DOUBLES.cast(poly).fma(s2, DoubleVector.broadcast(D, DL[k]));
            DoubleVector lm = s.mul(s2).fma(poly, s.add(s));
            // (double) e without L2D, which AVX2 lacks (C2 would box): 1.5·2⁵² + e has the bits of
            // 1.5·2⁵² plus e (|e| < 2⁵¹, ulp 1), and subtracting 1.5·2⁵² again is exact.
            DoubleVector ef = e.add(magicBits).reinterpretAsDoubles().sub(magic);
            DoubleVector w = ef.fma(ln2Hi, ef.fma(ln2Lo, lm)).neg();
            w.reinterpretAsInts().intoArray(words, 2 * i);
        }
    }

    /**
     * Second half: Giles' polynomials, ndtri = (r(w)·x)·√2, then y = clamp(fma(ndtri·sign, scale, offset)).
     * Two vectors per iteration with their Horner chains interleaved: the central polynomial is 22
     * dependent fmas (about 90 cycles), and with one vector per iteration the out-of-order core could
     * not overlap enough iterations: same-JVM A/B on an in-cache tile, 3.1-3.2 against 4.0 ns per element
     * (median), 2.1-2.9 against 2.9-3.9 (best). The same interleaving gained nothing clear for log64
     * (2-12%, inside the run-to-run spread: about 95 cycles of latency per vector over 80
     * instructions, so the reorder window, not the chain count, limits it) nor for giles32 (C2 unrolls
     * its smaller loop by 4 already). Giles' central
     * branch (w < 6.25) runs for every lane; the two tail branches (w >= 6.25, about 0.1% of elements)
     * and the square root only for a vector where some lane needs them, blended per lane. n is a
     * multiple of 2·D.length() (a tile holds whole steps).
     */
    static void giles64(int[] words, double[] xs, int n, double scale, double offset, double lo, double hi, double sign) {
        boolean signed = sign != 1.0, clamped = lo != Double.NEGATIVE_INFINITY || hi != Double.POSITIVE_INFINITY;
        int step = D.length();
        for (int i = 0; i < n; i += 2 * step) {
            DoubleVector wA = IntVector.fromArray(I, words, 2 * i).reinterpretAsLongs().reinterpretAsDoubles();
            DoubleVector wB = IntVector.fromArray(I, words, 2 * (i + step)).reinterpretAsLongs().reinterpretAsDoubles();
            DoubleVector t1A = wA.sub(3.125), t1B = wB.sub(3.125);
            DoubleVector rA = DoubleVector.broadcast(D, DG1[0]), rB = rA;
            for (int k = 1; k < DG1.length; k++) {
                // The chains cross the loop's phis: cast to the concrete class, as philox and log64 do.
                DoubleVector c = DoubleVector.broadcast(D, DG1[k]);
                rA = DOUBLES.cast(rA).fma(t1A, c);
                rB = DOUBLES.cast(rB).fma(t1B, c);
            }
            VectorMask<Double> centralA = wA.lt(6.25), centralB = wB.lt(6.25);
            // The tails are written out twice on purpose: moved into a helper method, which C2 does not inline on
            // this rare path, the vectors escape into the call and are boxed on every iteration (measured: 378
            // bytes allocated per f64 element; VectorKernelTest.allocatesAboutNothingPerElement fails).
            if (!centralA.allTrue()) {
                DoubleVector sq = wA.sqrt();
                DoubleVector t2 = sq.sub(3.25);
                DoubleVector r2 = DoubleVector.broadcast(D, DG2[0]);
                for (int k = 1; k < DG2.length; k++) r2 = DOUBLES.cast(r2).fma(t2, DoubleVector.broadcast(D, DG2[k]));
                DoubleVector t3 = sq.sub(5.0);
                DoubleVector r3 = DoubleVector.broadcast(D, DG3[0]);
                for (int k = 1; k < DG3.length; k++) r3 = DOUBLES.cast(r3).fma(t3, DoubleVector.broadcast(D, DG3[k]));
                rA = r3.blend(r2, wA.lt(16.0)).blend(rA, centralA);
            }
            if (!centralB.allTrue()) {
                DoubleVector sq = wB.sqrt();
                DoubleVector t2 = sq.sub(3.25);
                DoubleVector r2 = DoubleVector.broadcast(D, DG2[0]);
                for (int k = 1; k < DG2.length; k++) r2 = DOUBLES.cast(r2).fma(t2, DoubleVector.broadcast(D, DG2[k]));
                DoubleVector t3 = sq.sub(5.0);
                DoubleVector r3 = DoubleVector.broadcast(D, DG3[0]);
                for (int k = 1; k < DG3.length; k++) r3 = DOUBLES.cast(r3).fma(t3, DoubleVector.broadcast(D, DG3[k]));
                rB = r3.blend(r2, wB.lt(16.0)).blend(rB, centralB);
            }
            DoubleVector zA = rA.mul(DoubleVector.fromArray(D, xs, i)).mul(F64Math.SQRT2);
            DoubleVector zB = rB.mul(DoubleVector.fromArray(D, xs, i + step)).mul(F64Math.SQRT2);
            if (signed) {
                zA = zA.mul(sign);
                zB = zB.mul(sign);
            }
            DoubleVector yA = zA.fma(scale, offset), yB = zB.fma(scale, offset);
            if (clamped) {
                yA = yA.blend(lo, yA.lt(lo));
                yA = yA.blend(hi, yA.compare(VectorOperators.GT, hi));
                yB = yB.blend(lo, yB.lt(lo));
                yB = yB.blend(hi, yB.compare(VectorOperators.GT, hi));
            }
            yA.reinterpretAsInts().intoArray(words, 2 * i);
            yB.reinterpretAsInts().intoArray(words, 2 * (i + step));
        }
    }
}
