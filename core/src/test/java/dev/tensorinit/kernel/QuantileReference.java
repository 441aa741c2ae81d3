package dev.tensorinit.kernel;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * An accurate standard normal quantile built on commons-math3, to judge ndtri. commons-math3's own
 * {@code inverseCumulativeProbability} computes erfInv(2p-1), which loses all relative accuracy for p
 * below ~1e-8 (2p-1 rounds towards -1), so it only gives the starting point; Newton steps on commons'
 * Erf.erfc (tails, in log form) or Erf.erf (centre, against the exact p - 1/2) then refine it.
 */
final class QuantileReference {
    private QuantileReference() {}

    private static final NormalDistribution STD = new NormalDistribution(null, 0, 1, 1e-9);
    private static final double SQRT2 = Math.sqrt(2), SQRT_2PI = Math.sqrt(2 * Math.PI);

    static double quantile(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("p " + p);
        if (p == 0.5) return 0;
        if (Math.abs(p - 0.5) < 0.25) return centre(p);
        boolean upper = p > 0.5;
        double t = upper ? 1 - p : p;  // exact (Sterbenz) for p >= 0.5
        double x = STD.inverseCumulativeProbability(t);
        if (!Double.isFinite(x) || x > -1) x = -Math.sqrt(-2 * Math.log(t));
        for (int i = 0; i < 12; i++) {  // quadratic convergence: a few steps reach rounding level
            double cdf = 0.5 * Erf.erfc(-x / SQRT2);
            double pdf = Math.exp(-0.5 * x * x) / SQRT_2PI;
            double step = (Math.log(cdf) - Math.log(t)) * cdf / pdf;  // Newton on log Φ(x) = log t
            x -= step;
            if (Math.abs(step) <= 1e-18 * Math.abs(x)) break;
        }
        return upper ? -x : x;
    }

    private static double centre(double p) {
        double d = p - 0.5;  // exact for p in [0.25, 0.75]
        double x = STD.inverseCumulativeProbability(p);
        for (int i = 0; i < 6; i++) {
            double f = 0.5 * Erf.erf(x / SQRT2) - d;  // Φ(x) - p without cancellation
            double step = f / (Math.exp(-0.5 * x * x) / SQRT_2PI);
            x -= step;
            if (Math.abs(step) <= 1e-18 * Math.abs(x)) break;
        }
        return x;
    }
}
