package dev.tensorinit.cli;

import dev.tensorinit.Distribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The report's expected moments of a truncated normal, at every scale an f64 fill allows. */
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
}
