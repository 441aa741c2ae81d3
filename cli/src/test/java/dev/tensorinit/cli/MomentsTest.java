package dev.tensorinit.cli;

import dev.tensorinit.Distribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The report's expected moments of a truncated normal and of log_of_uniform, at every scale an f64 fill allows. */
class MomentsTest {

    /**
     * Scaling mean, std and bounds by k scales the truncated normal's mean and std by k. Computing σ² overflowed past
     * σ = 1.3e154 (the report said std Infinity for --std 1e200) and underflowed below 1e-162 (std 0).
     */
    @Test void truncatedMomentsScaleWithTheDistribution() {
        Moments unit = Moments.of(new Distribution.TruncatedNormal(0, 1, -1, 2));
        assertEquals(0.229637179, unit.mean(), 1e-8, "N(0,1) on [-1, 2]: (φ(-1) - φ(2)) / (Φ(2) - Φ(-1)), from math.erf");
        assertEquals(0.720945587, unit.std(), 1e-8, "the same formula's std");
        for (double k : new double[] {1e-300, 1e-200, 1e-100, 1e100, 1e200, 1e300}) {
            Moments m = Moments.of(new Distribution.TruncatedNormal(0, k, -k, 2 * k));
            assertEquals(unit.mean(), m.mean() / k, 1e-12, "mean at scale " + k);
            assertEquals(unit.std(), m.std() / k, 1e-12, "std at scale " + k);
        }
    }

    /** Bounds so far apart that a − μ overflows: α, β from a/σ − μ/σ; a bound at ±∞ sigmas adds 0, not ∞·0. */
    @Test void boundsWhoseDifferenceOverflowsStayFinite() {
        Moments m = Moments.of(new Distribution.TruncatedNormal(1e308, 1e300, -1e308, 1.5e308));
        assertEquals(1e308, m.mean(), 1e294, "the bounds are 1e8 sigmas away: the untruncated mean");
        assertEquals(1e300, m.std(), 1e286, "and std");
        Moments far = Moments.of(new Distribution.TruncatedNormal(0, 1e-300, -1e10, 1e10));   // α = -1e310: -∞ in doubles
        assertEquals(0, far.mean(), 1e-310, "bounds past every double of sigmas: the untruncated mean");
        assertEquals(1e-300, far.std(), 1e-312, "and std, not NaN from ∞·0");
        Moments half = Moments.of(new Distribution.TruncatedNormal(0, 1, 0, 40));
        assertEquals(Math.sqrt(2 / Math.PI), half.mean(), 1e-12, "half-normal mean");
        assertEquals(Math.sqrt(1 - 2 / Math.PI), half.std(), 1e-12, "half-normal std");
    }

    /**
     * log_of_uniform's mean and std against a midpoint rule over x with the mean taken out first (two passes, so no
     * cancellation), for ranges from 2e-7 of their start to 1600x wide. Through E[Y²] − E[Y]² the std of U(5, 5.000001)
     * came out 310x too large, and 0 for U(1e7, 1.0000001e7) and U(1, 1.0000001).
     */
    @Test void logOfUniformMomentsHoldForNarrowAndWideRanges() {
        double[][] ranges = {{5, 5.000001}, {1e7, 1.0000001e7}, {1, 1.0000001}, {1e6, 1.001e6}, {100, 101}, {0.01, 16},
                {1, 2}, {1, 2.9}, {3e-5, 7e-5}};
        for (double[] r : ranges) {
            Moments m = Moments.of(new Distribution.LogOfUniform(r[0], r[1]));
            int n = 1 << 21;
            double step = (r[1] - r[0]) / n, sum = 0;
            for (int i = 0; i < n; i++) sum += Math.log(r[0] + (i + 0.5) * step);
            double mean = sum / n, squares = 0;
            for (int i = 0; i < n; i++) {
                double d = Math.log(r[0] + (i + 0.5) * step) - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / n);
            String range = "U(" + r[0] + ", " + r[1] + ")";
            assertEquals(mean, m.mean(), 1e-9 * Math.max(1, Math.abs(mean)), "mean of ln " + range);
            assertEquals(std, m.std(), 1e-6 * std, "std of ln " + range);
        }
    }

    /** Past any midpoint rule: ln of U(a, b) with b/a beyond the doubles is ln b − Exp(1), std 1; a tiny range's std is its width/√12. */
    @Test void logOfUniformMomentsAtTheExtremes() {
        Moments vast = Moments.of(new Distribution.LogOfUniform(1e-300, 1e300));
        assertEquals(Math.log(1e300) - 1, vast.mean(), 1e-12, "mean");
        assertEquals(1, vast.std(), 1e-12, "std");
        Moments tiny = Moments.of(new Distribution.LogOfUniform(1, Math.nextUp(Math.nextUp(1.0))));
        assertEquals(0x1p-51 / Math.sqrt(12), tiny.std(), 1e-6 * 0x1p-51, "two ulps of 1 (2^-51) wide: ln is linear there");
        assertEquals(0x1p-52, tiny.mean(), 1e-6 * 0x1p-52, "and the mean is the middle");
    }
}
