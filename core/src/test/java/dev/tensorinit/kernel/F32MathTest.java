package dev.tensorinit.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The f32 transforms: the uniform lattice, log, ndtri and the bf16 rounding, against independent definitions. */
class F32MathTest {

    @Test
    void uniformLatticeIsExactOpenAndSymmetric() {
        for (int k = 0; k < (1 << 23); k++) {
            int word = k << 9;
            float u = F32Math.uniform(word);
            // (k + 1/2)·2^-23 = (2k+1)·2^-24 has 24 significant bits: exact in float.
            if (u != (float) ((2.0 * k + 1) * 0x1p-24)) fail("uniform(k=" + k + ") = " + u);
            if (!(u > 0f && u < 1f)) fail("uniform(k=" + k + ") = " + u + " is not inside (0, 1)");
            // The complemented word gives exactly 1 - u, so the quantile is odd around 1/2.
            if (F32Math.uniform(~word) != 1f - u) fail("not symmetric at k=" + k);
            if (F32Math.uniform(word | 0x1FF) != u) fail("the low 9 bits must not matter, k=" + k);
        }
        assertEquals(0x1p-24f, F32Math.uniform(0));
        assertEquals(1f - 0x1p-24f, F32Math.uniform(-1));
    }

    @Test
    void logWithinTwoUlpOfMathLog() {
        double worst = 0;
        float worstAt = 0;
        // Every 331st bit pattern of the positive normal floats (about 6.4 million values).
        for (int bits = Float.floatToRawIntBits(Float.MIN_NORMAL); bits < 0x7F800000 && bits > 0; bits += 331) {
            float x = Float.intBitsToFloat(bits);
            double exact = Math.log(x);
            float got = F32Math.log(x);
            double ulps = Math.abs(got - exact) / Math.ulp((float) exact);
            if (exact == 0) ulps = got == 0 ? 0 : Double.POSITIVE_INFINITY;
            if (ulps > worst) { worst = ulps; worstAt = x; }
        }
        for (float x : new float[] {1f, Math.nextUp(1f), Math.nextDown(1f), 2f, 0.5f, (float) Math.E, Float.MAX_VALUE, Float.MIN_NORMAL}) {
            double exact = Math.log(x);
            double ulps = exact == 0 ? (F32Math.log(x) == 0 ? 0 : 99) : Math.abs(F32Math.log(x) - exact) / Math.ulp((float) exact);
            if (ulps > worst) { worst = ulps; worstAt = x; }
        }
        System.out.printf("F32Math.log: worst %.3f ulp from Math.log at %s%n", worst, worstAt);
        assertTrue(worst <= 2, "F32Math.log is " + worst + " ulp from Math.log at " + worstAt);
    }

    /**
     * Relative error below 2e-6 on [2^-26, 1-2^-24] wherever 1-p is exact in float: every p the uniform
     * lattice gives (multiples of 2^-24), every p >= 1/2, and the lower tail. A p just below 1/2 off that
     * grid (only the truncated normal makes such p) loses the low bits of x = p - (1-p) to the rounding of
     * 1-p: there the error is bounded absolutely by 1.26·2^-25 (|dz/dx| ≤ 1.26 near the centre).
     */
    @Test
    void ndtriRelativeErrorBelow2e6() {
        double worst = 0, worstOffGrid = 0;
        float worstAt = 0, worstOffGridAt = 0;
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 60_000; i++) {
            // Log-uniform over [2^-26, 1/2], mirrored half the time into the upper half (up to 1-2^-24);
            // every fourth p is snapped to the 2^-24 grid.
            float p = (float) Math.pow(2, -26 * rnd.nextDouble());
            if (i % 4 == 0) p = Math.max(Math.round(p * 0x1p24f) * 0x1p-24f, 0x1p-24f);
            if (p < F32Math.P_MIN) p = F32Math.P_MIN;
            if (rnd.nextBoolean()) p = Math.max(1f - p, 0.5f);
            if (p > 1f - 0x1p-24f) p = 1f - 0x1p-24f;
            if (p == 0.5f) continue;
            double exact = QuantileReference.quantile(p);
            double err = Math.abs(F32Math.ndtri(p) - exact);
            if (1f - (1f - p) == p) {
                if (err / Math.abs(exact) > worst) { worst = err / Math.abs(exact); worstAt = p; }
            } else {
                double excess = err / (2e-6 * Math.abs(exact) + 1.26 * 0x1p-25);
                if (excess > worstOffGrid) { worstOffGrid = excess; worstOffGridAt = p; }
            }
        }
        for (float p : new float[] {F32Math.P_MIN, 0x1p-24f, 1f - 0x1p-24f, 0.5f - 0x1p-24f, 0.5f + 0x1p-24f, 0.25f, 0.75f}) {
            double exact = QuantileReference.quantile(p);
            double rel = Math.abs(F32Math.ndtri(p) - exact) / Math.abs(exact);
            if (rel > worst) { worst = rel; worstAt = p; }
        }
        System.out.printf("F32Math.ndtri: worst relative error %.3g at p=%s; off-grid %.3f of the bound at p=%s%n", worst, worstAt, worstOffGrid, worstOffGridAt);
        assertTrue(worst < 2e-6, "ndtri relative error " + worst + " at p=" + worstAt);
        assertTrue(worstOffGrid < 1, "ndtri off-grid error " + worstOffGrid + " of the bound at p=" + worstOffGridAt);
        assertEquals(0f, F32Math.ndtri(0.5f));
    }

    @Test
    void ndtriIsOddOnTheLatticeAndMonotone() {
        float prev = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < (1 << 23); k++) {
            float u = F32Math.uniform(k << 9);
            float z = F32Math.ndtri(u);
            if (F32Math.ndtri(1f - u) != -z) fail("ndtri(1-u) != -ndtri(u) at u=" + u);
            if (z < prev) fail("ndtri decreases at u=" + u + ": " + prev + " -> " + z);
            prev = z;
        }
        // The lattice's end is a normal's reach: Φ⁻¹(2^-24) = -5.2947.
        float zMax = -F32Math.ndtri(F32Math.uniform(0));
        assertTrue(zMax < 5.2948 && zMax > 5.2946, "largest |z| " + zMax);
    }

    @Test
    void bf16RoundsToNearestEven() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 1_000_000; i++) {
            int bits = rnd.nextInt() & 0x7F7FFFFF | (rnd.nextBoolean() ? 0x80000000 : 0); // finite
            if ((bits & 0x7F800000) == 0x7F800000) continue;
            checkBf16(Float.intBitsToFloat(bits));
        }
        // Ties: exactly half way goes to the even neighbour.
        checkBf16(Float.intBitsToFloat(0x3F808000)); // 1 + 2^-8: tie, down to 0x3F80
        checkBf16(Float.intBitsToFloat(0x3F818000)); // tie, up to 0x3F82
        assertEquals((short) 0x3F80, F32Math.toBf16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, F32Math.toBf16(Float.intBitsToFloat(0x3F818000)));
        assertEquals((short) 0x8000, F32Math.toBf16(-0f));
    }

    /** Independent rounding: pick the nearer of the two bf16 neighbours in double, ties to even. */
    private static void checkBf16(float v) {
        int b = Float.floatToRawIntBits(v);
        int down = b & 0xFFFF0000;
        int up = down + 0x10000;
        double dDown = Math.abs(Float.intBitsToFloat(down) - (double) v);
        // Past the largest bf16 the upper neighbour is infinity, which IEEE rounding treats as 2^128.
        double upValue = (up & 0x7FFFFFFF) == 0x7F800000 ? Math.copySign(0x1p128, v) : Float.intBitsToFloat(up);
        double dUp = Math.abs(upValue - (double) v);
        int expected = dDown < dUp ? down : dUp < dDown ? up : (((down >>> 16) & 1) == 0 ? down : up);
        if (F32Math.toBf16(v) != (short) (expected >>> 16)) {
            fail("toBf16(" + v + " = 0x" + Integer.toHexString(b) + ") = 0x" + Integer.toHexString(F32Math.toBf16(v) & 0xFFFF)
                    + ", expected 0x" + Integer.toHexString(expected >>> 16));
        }
    }

    @Test
    void f16IsIeeeBinary16() {
        assertEquals((short) 0x3C00, F32Math.toF16(1f));
        assertEquals((short) 0x7BFF, F32Math.toF16(65504f));
        assertEquals((short) 0x3C00, F32Math.toF16(1f + 0x1p-11f)); // tie to even
        assertEquals((short) 0x3C02, F32Math.toF16(1f + 3 * 0x1p-11f));
    }
}
