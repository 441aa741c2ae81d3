package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameter block of each kind, the mirror of right-leaning truncations, and values a dtype cannot hold. */
class KernelArgsTest {
    private static final NormalDistribution STD = new NormalDistribution(null, 0, 1, 1e-9);

    @Test
    void uniform() {
        KernelArgs k = KernelArgs.of(new Distribution.Uniform(-0.5, 1.5), DType.F32, 3, 4);
        assertEquals(new KernelArgs(KernelArgs.Kind.UNIFORM, DType.F32, 3, 4, 2.0, -0.5, -0.5, 1.5, 0, 0, 1), k);
        assertEquals(0, k.kind().code());
    }

    @Test
    void normalIsUnclamped() {
        KernelArgs k = KernelArgs.of(new Distribution.Normal(0.25, 0.02), DType.F64, 3, 4);
        assertEquals(new KernelArgs(KernelArgs.Kind.NORMAL, DType.F64, 3, 4, 0.02, 0.25,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0, 1), k);
        assertEquals(1, k.kind().code());
    }

    @Test
    void constant() {
        KernelArgs k = KernelArgs.of(new Distribution.Constant(0.3), DType.BF16, 0, 0);
        assertEquals(KernelArgs.Kind.CONSTANT, k.kind());
        assertEquals(0.3, k.offset());
        assertEquals(3, k.kind().code());
    }

    @Test
    void logOfUniformIsTheUniformsBlock() {
        KernelArgs k = KernelArgs.of(new Distribution.LogOfUniform(0.01, 16), DType.F32, 3, 4);
        assertEquals(new KernelArgs(KernelArgs.Kind.LOG_OF_UNIFORM, DType.F32, 3, 4, 15.99, 0.01, 0.01, 16, 0, 0, 1), k);
        assertEquals(4, k.kind().code());
        // The uniform's value, then the contract's log of it, and no clamp after the log.
        float[] p = k.f32Params();
        for (int word : new int[] {0, -1, 0x12345678, 0x9E3779B9}) {
            float x = Math.fma(F32Math.uniform(word), p[0], p[1]);
            assertEquals(F32Math.log(Math.min(Math.max(x, p[2]), p[3])), Reference.f32(k.kind(), p, word), "word " + word);
        }
        assertEquals(F32Math.log(0.01f + 0x1p-24f * 15.99f), Reference.f32(k.kind(), p, 0), 1e-6f);
    }

    /** The contract's log takes normal numbers only: a low below the working precision's smallest normal is refused, naming it. */
    @Test
    void logOfUniformRefusesASubnormalLow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.LogOfUniform(1e-39, 1), DType.F32, 0, 0));
        assertEquals("log_of_uniform's low 1.0E-39 is below f32's smallest normal number (1.1754944E-38), where the log is not computed;"
                + " use a larger low or --dtype f64", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.LogOfUniform(1e-39, 1), DType.BF16, 0, 0));
        KernelArgs.of(new Distribution.LogOfUniform(1e-39, 1), DType.F64, 0, 0);   // normal in f64
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.LogOfUniform(1e-310, 1), DType.F64, 0, 0));
        assertTrue(e.getMessage().startsWith("log_of_uniform's low 1.0E-310 is below f64's smallest normal number"), e.getMessage());
        // A range whose logs all round to one value is a constant, refused as every kind's.
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.LogOfUniform(16, 16.001), DType.BF16, 0, 0));
        assertTrue(e.getMessage().startsWith("every value of log(U(16.0, 16.001)) rounds to"), e.getMessage());
    }

    @Test
    void truncatedLeftLeaningKeepsSign() {
        // alpha = -3, beta = 1: alpha + beta < 0, sampled as is.
        KernelArgs k = KernelArgs.of(new Distribution.TruncatedNormal(1, 2, -5, 3), DType.F64, 0, 0);
        assertEquals(KernelArgs.Kind.TRUNC_NORMAL, k.kind());
        assertEquals(1.0, k.sign());
        assertEquals(-5.0, k.lo());
        assertEquals(3.0, k.hi());
        assertEquals(2.0, k.scale());
        assertEquals(1.0, k.offset());
        assertEquals(STD.cumulativeProbability(-3), k.plo(), 1e-14 * k.plo());
        assertEquals(STD.cumulativeProbability(1) - STD.cumulativeProbability(-3), k.pspan(), 1e-14);
        assertEquals(2, k.kind().code());
    }

    @Test
    void truncationBoundsWhoseDistanceFromTheMeanOverflowsKeepTheirPlaceInSigmas() {
        // a - mean = -2.7e308 overflows a double; the bound is still -2.7σ, not -∞σ (which set plo to 0 and
        // put every sample below a, 0.44% of them, exactly on a).
        KernelArgs k = KernelArgs.of(new Distribution.TruncatedNormal(1e308, 1e308, -1.7e308, 1.7e308), DType.F64, 1, 2);
        assertEquals(1.0, k.sign());
        double plo = STD.cumulativeProbability(-2.7);
        assertEquals(plo, k.plo(), 1e-13 * plo);
        assertEquals(STD.cumulativeProbability(0.7) - plo, k.pspan(), 1e-13);
        for (long i = 0; i < 20_000; i++) {
            double v = Reference.valueF64(k, i);
            assertTrue(v > -1.7e308 && v < 1.7e308, "element " + i + " is " + v + ", on or outside a bound");
        }
        // Mirrored (b - mean overflows): the same interval seen from the other side.
        KernelArgs m = KernelArgs.of(new Distribution.TruncatedNormal(-1e308, 1e308, -1.7e308, 1.7e308), DType.F64, 1, 2);
        assertEquals(-1.0, m.sign());
        assertEquals(plo, m.plo(), 1e-13 * plo);
        assertEquals(STD.cumulativeProbability(0.7) - plo, m.pspan(), 1e-13);
    }

    @Test
    void truncatedRightLeaningIsMirrored() {
        // alpha = 4, beta = 6: mirrored to [-6, -4] (the lower tail keeps p's relative precision), sign -1,
        // while lo/hi stay the absolute bounds.
        KernelArgs k = KernelArgs.of(new Distribution.TruncatedNormal(0, 0.5, 2, 3), DType.F64, 0, 0);
        assertEquals(-1.0, k.sign());
        assertEquals(2.0, k.lo());
        assertEquals(3.0, k.hi());
        double plo = STD.cumulativeProbability(-6);
        assertEquals(plo, k.plo(), 1e-13 * plo);
        double span = STD.cumulativeProbability(-4) - plo;
        assertEquals(span, k.pspan(), 1e-13 * span);
    }

    @Test
    void symmetricTruncationIsNotMirrored() {
        KernelArgs k = FillRequest.of(Shape.of(4, 4), InitSpec.truncNormal()).kernelArgs();
        assertEquals(1.0, k.sign());
        assertEquals(STD.cumulativeProbability(-2), k.plo(), 1e-15);
        assertEquals(STD.cumulativeProbability(2) - STD.cumulativeProbability(-2), k.pspan(), 1e-15);
    }

    @Test
    void tinyTruncationMassIsRejectedForF32Only() {
        // [5, 6] holds 2.9e-7 of N(0,1): below 1000·2^-26 = 1.5e-5 (f32), above 1000·2^-54 (f64).
        Distribution.TruncatedNormal t = new Distribution.TruncatedNormal(0, 1, 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(t, DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("a=5.0") && e.getMessage().contains("b=6.0") && e.getMessage().contains("f32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(t, DType.BF16, 0, 0));
        assertEquals(-1.0, KernelArgs.of(t, DType.F64, 0, 0).sign());
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 1, 30, 31), DType.F64, 0, 0));
    }

    @Test
    void overflowIntoTheDtypeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Uniform(-1e5, 1e5), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("100000.0") && e.getMessage().contains("f16") && e.getMessage().contains("65504"), e.getMessage());
        KernelArgs.of(new Distribution.Uniform(-1e5, 1e5), DType.BF16, 0, 0);
        // A normal reaches 5.2947 std on the f32 lattice: 13000·5.2947 > 65504.
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(0, 13000), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("f16"), e.getMessage());
        KernelArgs.of(new Distribution.Normal(0, 12000), DType.F16, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Constant(7e4), DType.F16, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Constant(1e39), DType.F32, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(0, 1e38), DType.F32, 0, 0));
        KernelArgs.of(new Distribution.Normal(0, 1e38), DType.F64, 0, 0);
    }

    /** A std or mean beyond f32 is infinite in the f32 kernels: refused, even where clamps would hide it at the ends. */
    @Test
    void aParameterBeyondF32IsRefusedInTheF32Kernels() {
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            // Both ends clamp onto ±1e38, but z = 0 gives fma(0, inf, 0) = NaN: this was accepted.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 1e39, -1e38, 1e38), dtype, 0, 0));
            assertTrue(e.getMessage().contains("1.0E39") && e.getMessage().contains("f32's largest finite value"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(1e39, 1e39), dtype, 0, 0));
            assertTrue(!e.getMessage().contains("NaN"), e.getMessage());
        }
        KernelArgs.of(new Distribution.TruncatedNormal(0, 1e39, -1e38, 1e38), DType.F64, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(0, 1e308), DType.F64, 0, 0));
        assertTrue(e.getMessage().contains("f64's largest finite value") && !e.getMessage().contains("f32"), e.getMessage());
    }

    /** A nonzero constant that rounds to 0 in the dtype is refused: `constant 1e-8` in f16 wrote zeros. */
    @Test
    void aNonzeroConstantThatRoundsToZeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Constant(1e-8), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("1.0E-8") && e.getMessage().contains("f16") && e.getMessage().contains("5.96"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Constant(-1e-46), DType.F32, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Constant(1e-41), DType.BF16, 0, 0));
        // Rounding to the nearest nonzero value is fine, and so is zero itself.
        assertEquals(0x1p-24, KernelArgs.roundTo(DType.F16, (float) KernelArgs.of(new Distribution.Constant(4e-8), DType.F16, 0, 0).offset()));
        KernelArgs.of(new Distribution.Constant(1e-8), DType.BF16, 0, 0);
        KernelArgs.of(new Distribution.Constant(1e-8), DType.F32, 0, 0);
        KernelArgs.of(new Distribution.Constant(0), DType.F16, 0, 0);
        KernelArgs.of(new Distribution.Constant(-0.0), DType.F16, 0, 0);
    }

    /** A uniform too wide for f32 names what to do, and the range it suggests is accepted. */
    @Test
    void aUniformSpanThatOverflowsSuggestsARangeThatFits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Uniform(-3e38, 3e38), DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("narrow it, e.g. to [-1.5E38, 1.5E38)"), e.getMessage());
        KernelArgs.of(new Distribution.Uniform(-1.5e38, 1.5e38), DType.F32, 0, 0);
        // A bound beyond f32 itself: halving the range would not help (it suggested [-5.0E38, 0.5), refused again).
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Uniform(-1e39, 1), DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("-1.0E39") && e.getMessage().contains("f32") && !e.getMessage().contains("narrow"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Uniform(-1, 1e39), DType.BF16, 0, 0));
        assertTrue(e.getMessage().contains("1.0E39") && e.getMessage().contains("bf16"), e.getMessage());
        KernelArgs.of(new Distribution.Uniform(-1e39, 1e39), DType.F64, 0, 0);
    }

    @Test
    void truncatedNormalIsCheckedAtItsClampNotTheLattice() {
        // Its p is clamped at P_MIN = 2^-26, where the quantile reaches -5.5426 std, beyond the lattice's -5.2947: with
        // std 12260 that is -67953, past f16's 65504 (this was accepted and wrote -Infinity into 0.26% of the tensor).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 12260, -1e9, -50879), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("f16") && e.getMessage().contains("65504"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 6.3e37, -1e39, -2.6145e38), DType.F32, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 6.3e37, 2.6145e38, 1e39), DType.BF16, 0, 0));
        // Just inside: 5.5426 · 11800 = 65403.
        KernelArgs.of(new Distribution.TruncatedNormal(0, 11800, -1e9, -48000), DType.F16, 0, 0);
        // A plain normal keeps the lattice's bound: 12200 · 5.2947 = 64595.
        KernelArgs.of(new Distribution.Normal(0, 12200), DType.F16, 0, 0);
    }

    /**
     * The overflow check is exact: a distribution is refused when, and only when, a value it can reach rounds to infinity
     * in the dtype. (An upper bound on the quantile's reach, 5.34 std, refused N(0, 12300) in f16, whose values all fit.)
     */
    @Test
    void overflowIsRefusedExactlyAtTheLatticesReach() {
        for (DType dtype : new DType[] {DType.F16, DType.BF16, DType.F32, DType.F64}) {
            for (boolean truncated : new boolean[] {false, true}) {
                // In f64 a truncated normal cannot overflow: its finite bound a binds first.
                if (truncated && dtype == DType.F64) continue;
                // The largest std (to ~1e-6 relative) that is accepted, by bisection between one that fits and one that does not.
                double ok = 1, bad = Double.MAX_VALUE;
                assertTrue(accepted(dtype, truncated, ok) && !accepted(dtype, truncated, bad), dtype + " " + truncated);
                for (int i = 0; i < 200 && bad / ok > 1 + 1e-9; i++) {
                    double mid = Math.exp((Math.log(ok) + Math.log(bad)) / 2);
                    if (accepted(dtype, truncated, mid)) ok = mid; else bad = mid;
                }
                KernelArgs k = args(dtype, truncated, ok);
                // Accepted: its extremes, and so every value, are finite in the dtype ...
                double reach = extremeAbs(k);
                assertTrue(KernelArgs.finiteIn(dtype, reach), dtype + " " + truncated + " reach " + reach);
                // ... and they reach the dtype's largest finite value to within 1%: nothing that fits is refused.
                double limit = dtype.maxFinite();
                assertTrue(reach > limit * 0.99, dtype + " " + truncated + ": accepted std " + ok + " reaches only " + reach + " of " + limit);
                double refused = bad;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> args(dtype, truncated, refused));
                assertTrue(e.getMessage().contains(dtype.id()) && e.getMessage().contains("infinity"), e.getMessage());
                // ... and refused only because a value would really be infinite: the same block at the refused std (the
                // record's constructor does not check), run through the reference, reaches infinity in the dtype.
                KernelArgs raw = new KernelArgs(k.kind(), dtype, 0, 0, refused, k.offset(), k.lo(), k.hi(), k.plo(), k.pspan(), k.sign());
                assertTrue(!KernelArgs.finiteIn(dtype, extremeAbs(raw)), dtype + " " + truncated + ": std " + refused + " was refused, yet reaches "
                        + extremeAbs(raw));
            }
        }
        KernelArgs.of(new Distribution.Normal(0, 12300), DType.F16, 0, 0);   // 12300 · 5.2947 = 65125: was refused
    }

    private static KernelArgs args(DType dtype, boolean truncated, double std) {
        Distribution d = truncated ? new Distribution.TruncatedNormal(0, std, -Double.MAX_VALUE, -std) : new Distribution.Normal(0, std);
        return KernelArgs.of(d, dtype, 0, 0);
    }

    private static boolean accepted(DType dtype, boolean truncated, double std) {
        try {
            args(dtype, truncated, std);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The larger |value| at the lattice's two ends, as the kernels compute it. */
    private static double extremeAbs(KernelArgs k) {
        if (k.dtype() == DType.F64) {
            double[] p = k.f64Params();
            return Math.max(Math.abs(Reference.f64(k.kind(), p, 0, 0)), Math.abs(Reference.f64(k.kind(), p, -1, -1)));
        }
        float[] p = k.f32Params();
        return Math.max(Math.abs(Reference.f32(k.kind(), p, 0)), Math.abs(Reference.f32(k.kind(), p, -1)));
    }

    @Test
    void stdThatIsZeroInF32IsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Normal(0, 1e-50), DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("1.0E-50") && e.getMessage().contains("f32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(0, 1e-50), DType.BF16, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 1e-50, -2e-50, 2e-50), DType.F16, 0, 0));
        KernelArgs.of(new Distribution.Normal(0, 1e-50), DType.F64, 0, 0);
        KernelArgs.of(new Distribution.Normal(0, 1e-44), DType.F32, 0, 0);   // a subnormal f32 std is still a std
    }

    /** f16 values from 65520 (bf16: from 0x7F7F8000) round to infinity; below that they round to the largest finite value. */
    @Test
    void overflowIsCheckedAtTheRoundingThresholdNotTheLargestValue() {
        KernelArgs.of(new Distribution.Constant(65519), DType.F16, 0, 0);   // was refused: it rounds to 65504, as torch's half() does
        KernelArgs.of(new Distribution.Uniform(-65519.99, 65519.99), DType.F16, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Constant(65520), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("65520.0") && e.getMessage().contains("infinity"), e.getMessage());
        KernelArgs.of(new Distribution.Constant(Float.intBitsToFloat(0x7F7F7FFF)), DType.BF16, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Constant(Float.intBitsToFloat(0x7F7F8000)), DType.BF16, 0, 0));
        assertTrue(KernelArgs.finiteIn(DType.F32, Float.MAX_VALUE) && !KernelArgs.finiteIn(DType.F32, 3.5e38));
    }

    /** Every value rounding to one dtype value is a constant, not a sample: normal(0, 1e-9) in f16 wrote all zeros. */
    @Test
    void aSpreadBelowTheDtypesResolutionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Normal(0, 1e-9), DType.F16, 0, 0));
        assertTrue(e.getMessage().contains("rounds to ±0.0 in f16") && e.getMessage().contains("1.0E-9"), e.getMessage());
        KernelArgs.of(new Distribution.Normal(0, 1e-9), DType.F32, 0, 0);
        KernelArgs.of(new Distribution.Normal(0, 1e-7), DType.F16, 0, 0);   // ±5.3e-7 reaches f16's subnormals (2^-24 = 6e-8)
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(1, 1e-4), DType.BF16, 0, 0));
        assertTrue(e.getMessage().contains("rounds to 1.0 in bf16"), e.getMessage());
        KernelArgs.of(new Distribution.Normal(1, 1e-2), DType.BF16, 0, 0);
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Uniform(1, 1 + 1e-9), DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("U(1.0, 1.000000001)") && e.getMessage().contains("f32"), e.getMessage());
        KernelArgs.of(new Distribution.Uniform(1, 1 + 1e-9), DType.F64, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(1, 1e-20), DType.F64, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(1, 1, 0.999, 1.001), DType.BF16, 0, 0));
        KernelArgs.of(new Distribution.TruncatedNormal(1, 1, 0.99, 1.01), DType.BF16, 0, 0);
        // At the kernel's real reach, not Z's bound (QA: these were accepted and wrote a constant).
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(0, 5.6e-9), DType.F16, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(1, 3.67e-4), DType.BF16, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of(new Distribution.Normal(1, 6.73e-18), DType.F64, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.TruncatedNormal(0, 5.4e-9, -1, 1), DType.F16, 0, 0));
        // Just past the f16 rounding boundary 2^-25 at the lattice's end (5.2947 std): accepted, and not all zeros.
        KernelArgs k = KernelArgs.of(new Distribution.Normal(0, 5.7e-9), DType.F16, 0, 0);
        assertTrue(F32Math.toF16(Reference.f32(k.kind(), k.f32Params(), 0)) != 0);
    }

    @Test
    void uniformRangeEmptyInF32IsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.of(new Distribution.Uniform(0, 1e-50), DType.F32, 0, 0));
        assertTrue(e.getMessage().contains("1.0E-50") && e.getMessage().contains("f32"), e.getMessage());
        KernelArgs.of(new Distribution.Uniform(0, 1e-50), DType.F64, 0, 0);
    }

    @Test
    void parameterBlocks() {
        KernelArgs k = KernelArgs.of(new Distribution.TruncatedNormal(0.1, 0.3, -0.2, 0.5), DType.F32, 0, 0);
        assertEquals(KernelArgs.PARAMS, k.f32Params().length);
        assertArrayEquals(new double[] {k.scale(), k.offset(), k.lo(), k.hi(), k.plo(), k.pspan(), k.sign()}, k.f64Params());
        assertArrayEquals(new float[] {(float) k.scale(), (float) k.offset(), (float) k.lo(), (float) k.hi(), (float) k.plo(),
                (float) k.pspan(), (float) k.sign()}, k.f32Params());
    }

    @Test
    void nulls() {
        assertThrows(NullPointerException.class, () -> KernelArgs.of(null, DType.F32, 0, 0));
        assertThrows(NullPointerException.class, () -> KernelArgs.of(new Distribution.Constant(1), null, 0, 0));
    }

    /**
     * reach(): where the kernels' values end, in the dtype. The f32 kernels' normal ends at ±5.2947σ and a truncated
     * normal's far tail at its clamp, 5.5426σ (docs/determinism.md §6-7); f64 goes to ±8.2095σ; a uniform reaches its
     * bounds' neighbourhood; and every value filled lies inside it.
     */
    @Test
    void reachIsWhereTheValuesEnd() {
        double[] n32 = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 0, 0).reach();
        assertEquals(-5.2947, n32[0], 1e-4);
        assertEquals(5.2947, n32[1], 1e-4);
        double[] n64 = KernelArgs.of(new Distribution.Normal(0, 1), DType.F64, 0, 0).reach();
        assertEquals(8.2095, n64[1], 1e-4);
        assertEquals(-n64[1], n64[0]);
        double[] t32 = KernelArgs.of(new Distribution.TruncatedNormal(0, 1, 4.1, 10), DType.F32, 0, 0).reach();
        assertEquals(4.1, t32[0], 1e-5);
        assertEquals(5.5426, t32[1], 1e-4);
        KernelArgs u = KernelArgs.of(new Distribution.Uniform(-2, 3), DType.BF16, 0, 0);
        double[] ur = u.reach();
        assertTrue(ur[0] >= -2 && ur[0] < -1.9 && ur[1] <= 3 && ur[1] > 2.9, java.util.Arrays.toString(ur));
        for (long i = 0; i < 4096; i++) {
            double v = Reference.valueF32(t32Args(), i);
            assertTrue(v >= t32[0] && v <= t32[1], i + ": " + v);
        }
    }

    private static KernelArgs t32Args() {
        return KernelArgs.of(new Distribution.TruncatedNormal(0, 1, 4.1, 10), DType.F32, 0, 0);
    }
}
