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

    private static double horner(double[] c, double t) {
        double r = c[0];
        for (int i = 1; i < c.length; i++) r = Math.fma(r, t, c[i]);
        return r;
    }

    /**
     * The log's polynomial and Giles' central one are written out coefficient by coefficient (so that loops of them
     * vectorize): bit for bit the Horner loops over L and G1 they replace, on random inputs of their whole ranges, and
     * log and giles are their parts put together.
     */
    @Test
    void writtenOutPolynomialsAreTheArraysHorner() {
        assertEquals(11, F64Math.L.length, "logOfParts writes out 11 coefficients");
        assertEquals(23, F64Math.G1.length, "gilesCentral writes out 23 coefficients");
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < 1_000_000; i++) {
            double m = Math.sqrt(0.5) + rnd.nextDouble() * (Math.sqrt(2) - Math.sqrt(0.5));
            double e = rnd.nextInt(-1075, 1024);
            double f = m - 1.0, s = f / (m + 1.0), s2 = s * s;
            double p = F64Math.L[10];
            for (int k = 9; k >= 0; k--) p = Math.fma(p, s2, F64Math.L[k]);
            double lm = Math.fma(s * s2, p, s + s);
            double log = Math.fma(e, F64Math.LN2_HI, Math.fma(e, F64Math.LN2_LO, lm));
            assertEquals(Double.doubleToRawLongBits(log), Double.doubleToRawLongBits(F64Math.logOfParts(m, e)), "m " + m + ", e " + e);
            double w = rnd.nextDouble() * 6.25;
            assertEquals(Double.doubleToRawLongBits(horner(F64Math.G1, w - 3.125)), Double.doubleToRawLongBits(F64Math.gilesCentral(w)), "w " + w);
            double x = Double.longBitsToDouble(rnd.nextLong(0x0010000000000000L, 0x7FF0000000000000L));
            long ex = F64Math.logExponent(x);
            assertEquals(F64Math.log(x), F64Math.logOfParts(F64Math.logMantissa(x, ex), ex), "x " + x);
            double ww = rnd.nextDouble() * 40;
            assertEquals(F64Math.giles(ww), ww < 6.25 ? F64Math.gilesCentral(ww) : F64Math.gilesTail(ww), "w " + ww);
        }
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
