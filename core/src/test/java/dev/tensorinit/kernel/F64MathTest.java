package dev.tensorinit.kernel;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The f64 transforms: the 52-bit uniform lattice, log and ndtri. */
class F64MathTest {

    @Test
    void uniformLatticeIsExactOpenAndSymmetric() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 2_000_000; i++) {
            int hi = rnd.nextInt(), lo = rnd.nextInt();
            if (i < 4) { hi = (i & 1) == 0 ? 0 : -1; lo = (i & 2) == 0 ? 0 : -1; }
            double u = F64Math.uniform(hi, lo);
            long k = ((long) (hi >>> 6) << 26) | (lo >>> 6);
            // (k + 1/2)·2^-52 = (2k+1)·2^-53: 53 significant bits, exact in double; checked in BigDecimal.
            if (i < 1000 && new BigDecimal(u).compareTo(BigDecimal.valueOf(2 * k + 1).multiply(new BigDecimal(0x1p-53))) != 0) {
                fail("uniform is not (k+1/2)·2^-52 for k=" + k);
            }
            if (u != (2.0 * k + 1) * 0x1p-53) fail("uniform(k=" + k + ") = " + u);
            if (!(u > 0 && u < 1)) fail("uniform " + u + " not inside (0, 1)");
            if (F64Math.uniform(~hi, ~lo) != 1 - u) fail("not symmetric at k=" + k);
            if (F64Math.uniform(hi | 63, lo | 63) != u) fail("the low 6 bits of each word must not matter");
        }
        assertEquals(0x1p-53, F64Math.uniform(0, 0));
        assertEquals(1 - 0x1p-53, F64Math.uniform(-1, -1));
    }

    @Test
    void logWithinTwoAndAHalfUlpOfMathLog() {
        SplittableRandom rnd = new SplittableRandom(4);
        double worst = 0, worstAt = 0;
        for (int i = 0; i < 3_000_000; i++) {
            // Random positive normal doubles over the whole exponent range, plus values near 1.
            double x = i % 3 == 0 ? 1 + (rnd.nextDouble() - 0.5) * 0x1p-20
                    : Double.longBitsToDouble(rnd.nextLong(0x0010000000000000L, 0x7FF0000000000000L));
            if (x == 1) continue;
            double exact = Math.log(x);  // within 1 ulp of the true log
            double ulps = Math.abs(F64Math.log(x) - exact) / Math.ulp(exact);
            if (ulps > worst) { worst = ulps; worstAt = x; }
        }
        assertEquals(0.0, F64Math.log(1.0));
        System.out.printf("F64Math.log: worst %.3f ulp from Math.log at %s%n", worst, worstAt);
        // F64Math.log is within ~1.5 ulp of the true log and Math.log within 1 ulp, so they may differ by 2.5 (2.0 seen).
        assertTrue(worst <= 2.5, "F64Math.log is " + worst + " ulp from Math.log at " + worstAt);
    }

    /**
     * Relative error below 1e-14 on [2^-54, 1-2^-53] wherever 1-p is exact (the lattice, p >= 1/2, the
     * lower tail); off that grid just below 1/2 the rounding of 1-p bounds the error absolutely by
     * 1.26·2^-54, as in {@link F32MathTest#ndtriRelativeErrorBelow2e6}.
     */
    @Test
    void ndtriRelativeErrorBelow1e14() {
        double worst = 0, worstAt = 0, worstOffGrid = 0, worstOffGridAt = 0;
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 60_000; i++) {
            double p = Math.pow(2, -54 * rnd.nextDouble());
            if (i % 4 == 0) p = Math.max(Math.rint(p * 0x1p53) * 0x1p-53, 0x1p-53);
            if (p < F64Math.P_MIN) p = F64Math.P_MIN;
            if (rnd.nextBoolean()) p = Math.max(1 - p, 0.5);
            if (p > 1 - 0x1p-53) p = 1 - 0x1p-53;
            if (p == 0.5) continue;
            double exact = QuantileReference.quantile(p);
            double err = Math.abs(F64Math.ndtri(p) - exact);
            if (1 - (1 - p) == p) {
                if (err / Math.abs(exact) > worst) { worst = err / Math.abs(exact); worstAt = p; }
            } else {
                double excess = err / (1e-14 * Math.abs(exact) + 1.26 * 0x1p-54);
                if (excess > worstOffGrid) { worstOffGrid = excess; worstOffGridAt = p; }
            }
        }
        for (double p : new double[] {F64Math.P_MIN, 0x1p-53, 1 - 0x1p-53, 0.5 - 0x1p-53, 0.5 + 0x1p-53, 0.25, 0.75}) {
            double exact = QuantileReference.quantile(p);
            double rel = Math.abs(F64Math.ndtri(p) - exact) / Math.abs(exact);
            if (rel > worst) { worst = rel; worstAt = p; }
        }
        System.out.printf("F64Math.ndtri: worst relative error %.3g at p=%s; off-grid %.3f of the bound at p=%s%n", worst, worstAt, worstOffGrid, worstOffGridAt);
        assertTrue(worst < 1e-14, "ndtri relative error " + worst + " at p=" + worstAt);
        assertTrue(worstOffGrid < 1, "ndtri off-grid error " + worstOffGrid + " of the bound at p=" + worstOffGridAt);
        assertEquals(0.0, F64Math.ndtri(0.5));
    }

    @Test
    void ndtriIsOddOnTheLattice() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 0; i < 1_000_000; i++) {
            int hi = rnd.nextInt(), lo = rnd.nextInt();
            double u = F64Math.uniform(hi, lo);
            if (F64Math.ndtri(F64Math.uniform(~hi, ~lo)) != -F64Math.ndtri(u)) fail("ndtri(1-u) != -ndtri(u) at u=" + u);
        }
        double zMax = -F64Math.ndtri(F64Math.uniform(0, 0));
        assertTrue(zMax < 8.2096 && zMax > 8.2094, "largest |z| " + zMax);   // Φ⁻¹(2^-53) = -8.2095
    }
}
