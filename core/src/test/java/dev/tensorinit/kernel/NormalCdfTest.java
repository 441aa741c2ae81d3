package dev.tensorinit.kernel;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NormalCdf (host side of the truncated normal) against commons-math3's Erf.erfc and NormalDistribution. */
class NormalCdfTest {

    /**
     * 1e-13 relative for z in [-8, 10] (Φ down to 1e-45, far past any truncation worth sampling). Beyond 10
     * commons-math3 itself drifts: it evaluates exp(-z² + ½·log z² - logΓ(½)), whose argument near -700
     * carries an absolute rounding of ~1e-13; there the agreement required is 1e-12.
     */
    @Test
    void erfcMatchesCommonsMath() {
        double worst = 0, worstAt = 0, worstFar = 0, worstFarAt = 0;
        for (int i = -8000; i <= 27300; i++) {
            double z = i * 1e-3;
            double expected = Erf.erfc(z);
            if (expected < Double.MIN_NORMAL) continue;
            double rel = Math.abs(NormalCdf.erfc(z) - expected) / expected;
            if (z <= 10 && rel > worst) { worst = rel; worstAt = z; }
            if (z > 10 && rel > worstFar) { worstFar = rel; worstFarAt = z; }
        }
        System.out.printf("NormalCdf.erfc: worst relative difference to commons-math3 %.3g at z=%s (z <= 10), %.3g at z=%s (z > 10)%n", worst, worstAt, worstFar, worstFarAt);
        assertTrue(worst < 1e-13, "erfc relative error " + worst + " at z=" + worstAt);
        assertTrue(worstFar < 1e-12, "erfc relative error " + worstFar + " at z=" + worstFarAt);
    }

    @Test
    void phiMatchesCommonsMath() {
        NormalDistribution n = new NormalDistribution(null, 0, 1, 1e-9);
        double worst = 0, worstAt = 0;
        for (int i = -3800; i <= 900; i++) {
            double x = i * 1e-2;
            double expected = n.cumulativeProbability(x);
            if (expected < Double.MIN_NORMAL) continue;
            double rel = Math.abs(NormalCdf.phi(x) - expected) / expected;
            if (rel > worst) { worst = rel; worstAt = x; }
        }
        // The argument is rounded differently (x·(1/√2) here, x/√2 there); in the far tail that alone moves
        // Φ by about x²·2^-53 relative, hence 1e-12 rather than erfc's 1e-13.
        assertTrue(worst < 1e-12, "phi relative error " + worst + " at x=" + worstAt);
    }

    @Test
    void edges() {
        assertEquals(0.5, NormalCdf.phi(0));
        assertEquals(1.0, NormalCdf.erfc(0));
        assertEquals(2.0, NormalCdf.erfc(-30));
        assertEquals(0.0, NormalCdf.erfc(30));
        assertTrue(Double.isNaN(NormalCdf.erfc(Double.NaN)));
        assertEquals(1.0, NormalCdf.phi(40));
    }
}
